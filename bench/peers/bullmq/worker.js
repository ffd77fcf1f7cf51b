'use strict';
// The peer's worker process: takes run jobs from the BullMQ queue (16 at a time), runs the demo workflow's one
// template step ("You said: {prompt}") and POSTs the final status to the run's callback_url, in the body Tollgate's
// callback-service sends ({"success":true,"data":{"run":RUN}}, RUN as GET /api/agent-webhooks/runs/{id} answers
// it), signed by the Standard Webhooks reference library with a stable webhook-id. Anything but a 2xx fails the job,
// and BullMQ retries it with the backoff api.js gave it; 410 Gone ends it at once, as in Tollgate.

const { Worker, UnrecoverableError } = require('bullmq');
const { Webhook } = require('standardwebhooks');

const redisPort = Number(process.env.PEER_REDIS_PORT);
const webhook = new Webhook(process.env.PEER_SIGNING_SECRET || 'whsec_cGVlci1iZW5jaC1zaWduaW5nLXNlY3JldC0zMmJ5dGVzIQ==');
const TEMPLATE = 'You said: {prompt}';

function render(template, run) {
  return template.replaceAll('{prompt}', run.prompt);
}

async function execute(job) {
  const run = job.data;
  const startedAt = new Date(job.processedOn ?? Date.now()).toISOString();
  const responseText = render(TEMPLATE, run);
  if (run.callback_url === null) {
    return { response_text: responseText };
  }
  const now = new Date();
  const completedAt = now.toISOString();
  const body = JSON.stringify({
    success: true,
    data: {
      run: {
        run_id: run.run_id, workflow_id: run.workflow_id, status: 'completed', prompt: run.prompt,
        response_text: responseText, session_id: null, model: null, error_code: null, error_message: null,
        callback_url: run.callback_url, callback_status: 'pending', callback_last_status: null,
        callback_last_error: null, callback_attempted_at: null, callback_delivered_at: null,
        request_metadata: run.request_metadata, run_metadata: {}, created_at: run.created_at,
        updated_at: completedAt, started_at: startedAt, completed_at: completedAt, cancel_requested_at: null,
        cancel_requested_by_user_id: null, cancel_request_id: null, cancel_reason: null,
      },
    },
  });
  const id = `msg_${run.run_id}`; // the same in every attempt, so a receiver can drop repeats
  const response = await fetch(run.callback_url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': webhook.sign(id, now, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer(); // frees the connection for the next callback
  if (response.status === 410) {
    throw new UnrecoverableError('callback answered 410 Gone');
  }
  if (response.status < 200 || response.status > 299) {
    throw new Error(`callback answered ${response.status}`);
  }
  return { response_text: responseText, callback_status: response.status };
}

const worker = new Worker('runs', execute, {
  connection: { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null },
  concurrency: 16,
});
worker.on('error', (e) => console.error('worker error', e));

async function stop() {
  // A job cut short is stalled and retried by another worker (or this one's successor); do not wait for long.
  setTimeout(() => process.exit(0), 3000).unref();
  await worker.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

worker.waitUntilReady().then(() => console.log('peer worker ready')).catch((e) => {
  console.error('cannot reach redis', e);
  process.exit(1);
});
