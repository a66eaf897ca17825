import { createHmac } from 'node:crypto';

/**
 * POSTs a JSON description of a run to a team's webhook URL, signed like GitHub's own webhooks
 * (`X-Flowgate-Signature-256: sha256=<hex HMAC of the body>`) when a secret is given. Times out after 10 s.
 */
export async function postWebhook(url: string, payload: unknown, secret: string | undefined): Promise<void> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'flowgate' };
  if (secret !== undefined && secret !== '') {
    headers['x-flowgate-signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  }
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`the webhook ${new URL(url).host} answered ${response.status}`);
}
