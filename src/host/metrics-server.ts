/**
 * The HTTP endpoint of `pgsr watch --metrics-listen ADDR:PORT`: GET (or HEAD) /metrics and
 * nothing else, answered from the last observation (a scrape never opens a database
 * connection), in the Prometheus text format 0.0.4, or OpenMetrics 1.0 when the scraper's Accept
 * header asks for `application/openmetrics-text` (Prometheus does). With prom-client's standard
 * process metrics (process_*, nodejs_*).
 *
 * Bounds: request headers 8 KiB and 5 s, a request body is refused (413), 16 connections at a
 * time, keep-alive 5 s; other paths 404, other methods 405. Binds only the address given.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { ConfigError } from '../errors';
import { contentTypeOf, loadPromClient, newRegistry, type ExpositionFormat } from '../dialect/openmetrics';
import { t } from '../i18n';

/** Renders the current metrics; undefined while there is nothing to serve yet (no check made). */
export type MetricsSource = (format: ExpositionFormat, processMetrics: Registry) => Promise<string | undefined>;

/** A running endpoint. */
export interface MetricsServer {
  /** `addr:port` actually bound. */
  address: string;
  close(): Promise<void>;
}

/**
 * Starts the endpoint.
 * @throws ConfigError (one line) when the address cannot be bound (in use, not local, no permission).
 */
export async function startMetricsServer(
  listen: { host: string; port: number },
  source: MetricsSource,
): Promise<MetricsServer> {
  const prom = await loadPromClient();
  const processMetrics: Record<ExpositionFormat, Registry> = {
    prometheus: newRegistry(prom, 'prometheus'),
    openmetrics: newRegistry(prom, 'openmetrics'),
  };
  for (const reg of Object.values(processMetrics)) {
    prom.collectDefaultMetrics({ register: reg });
    // Gauges named *_total break the naming rules (promtool: "non-counter metrics should not have
    // _total suffix"); their twins without the suffix (nodejs_active_handles, ...) stay.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      reg.removeSingleMetric(name);
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'only GET /metrics\n', { Allow: 'GET, HEAD' });
    if (path !== '/metrics') return reply(404, 'only /metrics is served here\n');
    if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'])
      return reply(413, 'no request body is accepted\n', { Connection: 'close' });
    const format: ExpositionFormat = /application\/openmetrics-text/.test(String(req.headers.accept ?? ''))
      ? 'openmetrics'
      : 'prometheus';
    const body = await source(format, processMetrics[format]);
    if (body === undefined) return reply(503, 'no check made yet\n', { 'Retry-After': '1' });
    reply(200, body, { 'Content-Type': await contentTypeOf(format) });
  };

  const server = createServer(
    { maxHeaderSize: 8192, requestTimeout: 5000, headersTimeout: 5000, keepAliveTimeout: 5000 },
    (req, res) => {
      handle(req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`metrics not rendered: ${err.message.split('\n')[0]}\n`);
      });
    },
  );
  server.maxConnections = 16;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          t('config.cannot_listen', {
            where: `${listen.host}:${listen.port}`,
            detail: String(err.code ?? err.message),
          }),
        ),
      ),
    );
    server.listen({ host: listen.host, port: listen.port, exclusive: true }, () => resolve());
  });
  const a = server.address();
  const address =
    a && typeof a === 'object'
      ? `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`
      : `${listen.host}:${listen.port}`;
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
