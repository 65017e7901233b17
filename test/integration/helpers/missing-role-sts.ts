/**
 * A loopback proxy in front of moto's STS that plays accounts without the
 * role. moto's AssumeRole hands out credentials for any role ARN, existing
 * or not, so a test cannot delete a role to make it fail. The proxy
 * answers AssumeRole into the named accounts itself, with the error AWS
 * sends when the role does not exist or does not trust the caller (HTTP
 * 403, `AccessDenied`, in STS's query-protocol XML), and passes every
 * other request to moto. The code under test sees a real HTTP response
 * through the SDK's own deserializer; it is pointed at the proxy with the
 * SDK's standard per-service endpoint variable, `AWS_ENDPOINT_URL_STS`.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

const HOST = '127.0.0.1';

/** The account id in a role ARN `arn:aws:iam::111122223333:role/Name`. */
const accountOfRole = (roleArn: string): string => roleArn.split(':')[4] ?? '';

const accessDenied = (roleArn: string): string =>
  [
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '<Error><Type>Sender</Type><Code>AccessDenied</Code>',
    `<Message>User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message>`,
    '</Error><RequestId>4e0e4c5b-0000-4000-8000-000000000403</RequestId>',
    '</ErrorResponse>',
  ].join('');

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Headers to pass on to moto: all but those the hop itself sets. */
const forwardedHeaders = (request: IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(request.headers)
      .filter(
        ([name, value]) =>
          typeof value === 'string' &&
          !['host', 'content-length', 'connection'].includes(name)
      )
      .map(([name, value]) => [name, String(value)])
  );

/** The STS proxy; {@link MissingRoleSts.assumed} lists every AssumeRole it saw. */
class MissingRoleSts {
  /** The role ARN of every AssumeRole request, refused or passed on. */
  public readonly assumed: string[] = [];

  private constructor(
    private readonly server: Server,
    public readonly endpoint: string
  ) {}

  /**
   * Starts the proxy on a free loopback port.
   *
   * @param moto - moto's endpoint, where every other request goes
   * @param withoutRole - accounts whose role AssumeRole refuses
   */
  public static async start(
    moto: string,
    withoutRole: ReadonlySet<string>
  ): Promise<MissingRoleSts> {
    let proxy: MissingRoleSts | undefined;
    const handle = async (
      request: IncomingMessage,
      response: ServerResponse
    ): Promise<void> => {
      const body = await readBody(request);
      const params = new URLSearchParams(body);
      const roleArn = params.get('RoleArn') ?? '';
      if (params.get('Action') === 'AssumeRole') {
        proxy?.assumed.push(roleArn);
        if (withoutRole.has(accountOfRole(roleArn))) {
          response.writeHead(403, { 'content-type': 'text/xml' });
          response.end(accessDenied(roleArn));
          return;
        }
      }
      const answer = await fetch(`${moto}${request.url ?? '/'}`, {
        method: request.method ?? 'POST',
        headers: forwardedHeaders(request),
        ...(body === '' ? {} : { body }),
      });
      response.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'text/xml',
      });
      response.end(await answer.text());
    };
    const server = createServer((request, response) => {
      handle(request, response).catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new MissingRoleSts(server, `http://${HOST}:${port}`);
    return proxy;
  }

  /** Stops the proxy. */
  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve()))
    );
  }
}

export { MissingRoleSts };
