/**
 * Helpers for tests that talk to the moto server started by the integration
 * global setup.
 */

/** The moto endpoint from the environment; refuses anything not on loopback. */
export const motoEndpoint = (): string => {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (endpoint === undefined || endpoint === '') {
    throw new Error(
      'AWS_ENDPOINT_URL is not set: run through the jest `integration` project'
    );
  }
  const { hostname } = new URL(endpoint);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') {
    throw new Error(`refusing a non-loopback moto endpoint: ${endpoint}`);
  }
  return endpoint.replace(/\/+$/, '');
};

/**
 * Wipes every resource moto holds (all services, all regions), so a test
 * file starts from moto's initial state (the default VPC and its subnets).
 */
export const resetMoto = async (): Promise<void> => {
  const response = await fetch(`${motoEndpoint()}/moto-api/reset`, {
    method: 'POST',
  });
  await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`moto reset failed: HTTP ${response.status}`);
  }
};
