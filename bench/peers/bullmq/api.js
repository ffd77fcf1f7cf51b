'use strict';
// The peer's API process: Tollgate's trigger endpoint (the same path, request and response shapes, see
// docs/api.md and the gateway's OpenAPI document) in front of a BullMQ queue. A trigger is one job whose id is the caller's
// request_id, so a repeated request_id is a replay that answers 202 with the first run, as Tollgate does.
// Bench-only: loopback, one fixed bearer token, no users, budgets or catalog.

const http = require('node:http');
const crypto = require('node:crypto');
const { Queue } = require('bullmq');
const IORedis = require('ioredis');

const port = Number(process.env.PEER_API_PORT);
const redisPort = Number(process.env.PEER_REDIS_PORT);
const token = process.env.PEER_TOKEN || 'peer-token';
const publicUrl = `http://127.0.0.1:${port}`;

const connection = { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null };
const queue = new Queue('runs', {
  connection,
  // The job is the run: kept after it ends (the run's record, and what keeps a request_id a replay), retried on a
  // callback that fails (worker.js) with a backoff, as Tollgate's callback-service retries.
  defaultJobOptions: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
    removeOnComplete: false,
    removeOnFail: false,
  },
});
// request_id -> "runId createdAt": set-if-absent, so a replay finds the run the first request created.
const requests = new IORedis(connection);

const TRIGGER = /^\/api\/agent-webhooks\/([A-Za-z0-9_-]{1,64})\/trigger$/;
const REQUEST_ID = /^[A-Za-z0-9_.-]{1,128}$/; // BullMQ job ids may not hold ':'
const MAX_BODY = 256 * 1024;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function webhookError(res, status, error, message) {
  send(res, status, { success: false, error, message });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function trigger(req, res, workflowId) {
  if (req.headers.authorization !== `Bearer ${token}`) {
    return webhookError(res, 401, 'unauthorized', 'Missing or invalid bearer token');
  }
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (e) {
    return webhookError(res, 400, 'invalid_payload', 'The body is not JSON');
  }
  if (body === null || typeof body !== 'object' || typeof body.prompt !== 'string' || body.prompt.length === 0) {
    return webhookError(res, 400, 'invalid_payload', 'prompt is required');
  }
  const requestId = body.request_id ?? null;
  if (requestId !== null && (typeof requestId !== 'string' || !REQUEST_ID.test(requestId))) {
    return webhookError(res, 400, 'invalid_payload', 'request_id must be 1-128 letters, digits, _ . -');
  }
  let runId = crypto.randomBytes(12).toString('hex');
  let createdAt = new Date().toISOString();
  let replay = false;
  if (requestId !== null) {
    const key = `peer:request:${requestId}`; // one key space, as the job ids are
    if ((await requests.set(key, `${runId} ${createdAt}`, 'NX')) === null) {
      [runId, createdAt] = (await requests.get(key)).split(' ');
      replay = true;
    }
  }
  // Added again on a replay too (BullMQ ignores a job id it has), so a crash between the two writes loses nothing.
  await queue.add('run', {
    run_id: runId,
    workflow_id: workflowId,
    prompt: body.prompt,
    request_id: requestId,
    request_metadata: body.request_metadata ?? {},
    callback_url: body.callback_url ?? null,
    created_at: createdAt,
  }, { jobId: requestId ?? runId });
  return send(res, replay ? 202 : 200, {
    success: true,
    data: {
      run: {
        run_id: runId, workflow_id: workflowId, status: 'queued', created_at: createdAt, updated_at: createdAt,
        cancel_requested_at: null, cancel_request_id: null, cancel_reason: null,
      },
      status_url: `${publicUrl}/api/agent-webhooks/runs/${runId}`,
    },
    message: 'Workflow trigger accepted',
  });
}

const server = http.createServer((req, res) => {
  const url = req.url.split('?')[0];
  if (req.method === 'GET' && url === '/health') {
    return send(res, 200, { status: 'ok' });
  }
  const match = req.method === 'POST' ? TRIGGER.exec(url) : null;
  if (!match) {
    return webhookError(res, 404, 'not_found', 'No such endpoint');
  }
  trigger(req, res, match[1]).catch((e) => {
    console.error('trigger failed', e);
    if (!res.headersSent) {
      webhookError(res, 500, 'internal_error', 'Unexpected error');
    }
  });
});
// A load generator keeps its connections open between requests (Java's HttpClient for 20 minutes); closing them
// after Node's default 5 s would race its next request on the same connection.
server.keepAliveTimeout = 30 * 60 * 1000;
server.headersTimeout = server.keepAliveTimeout + 1000;

async function stop() {
  server.close();
  await queue.close();
  requests.disconnect();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

queue.waitUntilReady().then(() => {
  server.listen(port, '127.0.0.1', () => console.log(`peer api ready on ${publicUrl}`));
}).catch((e) => {
  console.error('cannot reach redis', e);
  process.exit(1);
});
