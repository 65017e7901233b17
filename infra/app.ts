import { App } from 'aws-cdk-lib';
import { rules } from '../rules/index.js';
import { buildApp } from './build-app.js';

// The CDK app (cdk.json runs it after compiling infra/ to dist-infra/).
const app = new App();
buildApp(app, rules);
app.synth();
