#!/usr/bin/env node
// The npm registry mirror this project builds against serves only the
// linux platform binaries of packages such as @biomejs/biome or esbuild; the
// other platforms' optional packages 404, so `npm install` leaves them out of
// package-lock.json and `npm ci` then rejects the lockfile as out of sync.
// This adds a stub entry (version, os, cpu, libc from the package name) for
// each missing optional dependency: npm ci skips them by platform and never
// fetches them. Run it after any `npm install` that changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'android',
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = [
  'x64',
  'arm64',
  'arm',
  'ia32',
  'loong64',
  'ppc64',
  'riscv64',
  's390x',
  'wasm32',
  'mips64el',
];

const platformOf = (name) => {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.find((t) => CPU.includes(t));
  const libc = tokens.includes('musl')
    ? 'musl'
    : tokens.some((t) => t.startsWith('gnu'))
      ? 'glibc'
      : undefined;
  return { os, cpu, libc };
};

const file = 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(
    entry.optionalDependencies ?? {}
  )) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os && !cpu) {
      console.error(
        `${path}: cannot tell the platform of missing optional ${name}; leaving it out`
      );
      continue;
    }
    lock.packages[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added.push(name);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`stubbed ${added.length} optional platform package(s)`);
