/**
 * The OpenAPI 3.1 description of hiraga's HTTP API, served at /openapi.json. Kept beside the
 * routes: test/gateway/openapi-system.test.ts fails when a route is registered but not described here (or described but not registered).
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const arr = (items: Schema): Schema => ({ type: 'array', items });
const level: Schema = { type: 'integer', enum: [1, 2, 3] };

const json = (schema: Schema) => ({ 'application/json': { schema } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c] ?? 'error', content: json(ref('Error')) }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'malformed JSON or invalid input (the message says what to fix)',
  401: 'no or wrong API key',
  403: 'role or tenant without the right, or policy block (code confidentiality_exceeds_clearance)',
  404: 'unknown model, collection, job or route',
  409: 'the config file is invalid (code config_invalid): the keys in force are unchanged',
  413: 'request body too large (server.maxBodyBytes; uploads server.maxUploadBytes)',
  415: 'the body is not in the media type the route takes (code unsupported_media_type)',
  429: 'rate limited (Retry-After header): requests per key or tenant, tokens per user or tenant, or the monthly budget (code budget_exceeded)',
  502: 'the model or embedding endpoint failed',
  504: 'the request deadline passed',
};
const STD = [400, 401, 403, 429];

function op(summary: string, body: Schema | null, response: Schema, extra: Record<string, unknown> = {}, errs: number[] = STD) {
  return {
    summary,
    ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
    responses: { '200': { description: 'OK', content: json(response) }, ...errors(...errs) },
    ...extra,
  };
}

/** Every /v1 and /api route runs behind authentication and the rate limit (src/gateway/app.ts). */
const GOVERNED = /^\/(v1|api)\//;

/**
 * Adds the errors every route of a kind can answer, so no description can leave them out: 401 and 429 on
 * every /v1 and /api route, 413 on every route that takes a body (the body limit runs before any route).
 * A status the route already describes keeps its own description.
 */
function withCommonErrors(paths: Record<string, Record<string, Operation>>): Record<string, Record<string, Operation>> {
  for (const [route, ops] of Object.entries(paths)) {
    for (const operation of Object.values(ops)) {
      const common = [...(GOVERNED.test(route) ? [401, 429] : []), ...(operation.requestBody ? [413] : [])];
      for (const code of common) operation.responses[String(code)] ??= errors(code)[String(code)]!;
    }
  }
  return paths;
}

interface Operation {
  requestBody?: unknown;
  responses: Record<string, unknown>;
  [key: string]: unknown;
}

const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: str });
/** A review item id as the routes take it: digits only, from 1, a safe integer. */
const reviewIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } };
const queryParam = (name: string, schema: Schema = str) => ({ name, in: 'query', required: false, schema });

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hiraga gateway',
      version,
      description: '行政向けの信頼できる生成AI環境 hiraga の HTTP API。OpenAI 互換の /v1 と、hiraga 独自の /api。すべての呼び出しにガード・ポリシー・監査・利用記録が適用されます。',
    },
    security: [{ bearer: [] }],
    paths: withCommonErrors({
      '/v1/chat/completions': {
        post: op('Chat completion (OpenAI-compatible; stream: true for SSE)', ref('ChatCompletionRequest'), ref('ChatCompletion'), {
          responses: {
            '200': { description: 'A completion, or with stream: true an SSE stream of chat.completion.chunk objects ending in data: [DONE]', content: { ...json(ref('ChatCompletion')), 'text/event-stream': { schema: str } } },
            ...errors(400, 401, 403, 404, 413, 429, 502, 504),
          },
        }),
      },
      '/v1/responses': {
        post: op('Responses API (OpenAI-compatible, stateless: the conversation comes whole in input; stream: true for SSE)', ref('ResponsesRequest'), ref('Response'), {
          responses: {
            '200': {
              description: 'A response object, or with stream: true an SSE stream of typed events (response.created … response.completed, response.incomplete or response.failed)',
              content: { ...json(ref('Response')), 'text/event-stream': { schema: str } },
            },
            ...errors(400, 401, 403, 404, 413, 429, 502, 504),
          },
        }),
      },
      '/v1/responses/{id}': {
        get: op('Not available: hiraga stores no responses (404 response_not_stored)', null, ref('Error'), { parameters: [pathParam('id')] }, [401, 404]),
        delete: op('Not available: hiraga stores no responses (404 response_not_stored)', null, ref('Error'), { parameters: [pathParam('id')] }, [401, 404]),
      },
      '/v1/responses/{id}/cancel': {
        post: op('Not available: hiraga stores no responses (404 response_not_stored); close the connection to stop a stream', null, ref('Error'), { parameters: [pathParam('id')] }, [401, 404]),
      },
      '/v1/models': { get: op('Models the caller may use, with trust attributes', null, obj({ object: str, data: arr(ref('Model')) }), {}, [401, 429]) },
      '/v1/models/{id}': { get: op('One model', null, ref('Model'), { parameters: [pathParam('id')] }, [401, 404, 429]) },
      '/v1/embeddings': {
        post: op(
          'Embeddings (models configured with embeddingModel)',
          obj({ model: str, input: { oneOf: [str, arr(str)] }, encoding_format: { type: 'string', enum: ['float', 'base64'] } }, ['model', 'input']),
          obj({ object: str, model: str, data: arr(obj({ object: str, index: int, embedding: { oneOf: [arr(num), str] } })), usage: obj({ prompt_tokens: int, total_tokens: int }) }),
          {},
          [400, 401, 403, 404, 429, 502],
        ),
      },
      '/api/me': { get: op('Who am I', null, obj({ user: str, role: str, tenant: str }), {}, [401]) },
      '/api/collections': { get: op("The tenant's collections", null, arr(obj({ name: str, documents: int, chunks: int })), {}, [401, 429]) },
      '/api/collections/{name}/ingest': {
        post: {
          summary: 'Upload files into a collection (runs in the background)',
          parameters: [pathParam('name')],
          requestBody: { required: true, content: { 'multipart/form-data': { schema: obj({ files: arr({ type: 'string', format: 'binary' }) }, ['files']) } } },
          responses: {
            '202': { description: 'Job started', content: json(obj({ job: str })) },
            '400': { description: 'a bad collection name (invalid_collection_name), an unreadable multipart body (invalid_multipart), no files (no_files), or a file name that cannot be used: ".", "..", empty, or a part of files without one (invalid_file_name, param files)', content: json(ref('Error')) },
            ...errors(401, 403, 413, 415, 429),
          },
        },
      },
      '/api/jobs/{job}': {
        get: op(
          'Progress of a job',
          null,
          obj({
            id: str,
            kind: str,
            state: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
            done: { type: 'integer', description: 'ingest: files handled; the last waits for the index to be written, so done equals total only once every document is searchable' },
            total: { type: 'integer', description: 'ingest: the files uploaded' },
            report: { type: 'object', description: 'with state done' },
            error: { type: 'string', description: 'with state failed; also when the node running the job stopped (no heartbeat for 2 minutes): upload again' },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time', description: 'last progress or heartbeat (every 10 s while running)' },
          }, ['id', 'kind', 'state', 'done', 'total', 'createdAt', 'updatedAt']),
          { parameters: [pathParam('job')] },
          [401, 404],
        ),
      },
      '/api/search': {
        post: op('Search a collection', obj({ collection: { type: 'string', maxLength: 100 }, query: str, k: int }, ['collection', 'query']), obj({ hits: arr(ref('Hit')) }), {}, [400, 401, 404, 429]),
      },
      '/api/ask': {
        post: op('資料QA: answer from a collection with citations (stream: true → SSE events delta, done)', obj({ collection: str, question: str, model: str, k: int, stream: bool, confidentiality: level }, ['collection', 'question']), ref('AskResult'), {
          responses: {
            '200': {
              description:
                'The answer, or with stream: true an SSE stream (text/event-stream): events "delta" with data {text} for each piece of the answer, then "done" with the AskResult; a failure after the first event ends the stream with an "error" event carrying the error body. A policy block or bad input answers with its status before any event',
              content: { ...json(ref('AskResult')), 'text/event-stream': { schema: str } },
            },
            ...errors(400, 401, 403, 404, 413, 429, 502, 504),
          },
        }),
      },
      '/api/budget': {
        get: op(
          "The month's budget of the caller's tenant (config budgets; Japan time). A tenant at its limit gets 429 budget_exceeded with Retry-After and x-should-retry: false",
          null,
          obj({ tenant: str, month: str, from: str, resetsAt: str, limit: { oneOf: [obj({ monthlyJpy: num, monthlyTokens: int }), { type: 'null' }] }, spent: obj({ jpy: num, tokens: int }), remaining: obj({ jpy: num, tokens: int }), exceeded: bool }),
          { parameters: [queryParam('tenant', { type: 'string', description: "another tenant's (admins and auditors of tenant \"*\" only); empty or absent: your own" })] },
          [401, 403],
        ),
      },
      '/api/usage': {
        get: op(
          'Usage (tokens, JPY, Wh) grouped by tenant, app, model or user',
          null,
          obj({ rows: arr(obj({ key: str, bucket: str, calls: int, tokens: int, prompt_tokens: int, completion_tokens: int, cost_jpy: num, energy_wh: num })) }),
          { parameters: [queryParam('groupBy', { type: 'string', enum: ['tenant', 'app', 'model', 'user'] }), queryParam('from'), queryParam('to'), queryParam('bucket', { type: 'string', enum: ['day', 'all'] })] },
          [400, 401],
        ),
      },
      '/api/apps': {
        get: op('Apps: built-in and the tenant\'s own', null, arr(obj({ id: str, title: str, description: str, builtin: bool, inputs: arr({ type: 'object' }) })), {}, [401]),
        post: op('Create (a new version of) a tenant app from a definition', { type: 'object' }, { type: 'object' }, { responses: { '201': { description: 'the stored app', content: json({ type: 'object' }) }, ...errors(400, 401, 403) } }),
      },
      '/api/apps/{id}/run': {
        post: op('Run an app (every model call governed)', ref('AppRunRequest'), ref('AppRunResult'), { parameters: [pathParam('id')] }, [400, 401, 403, 404, 429, 502, 504]),
      },
      '/api/apps/test': {
        post: op(
          'Run an unsaved app definition (the app builder\'s test pane; staff, reviewer, admin): validated like POST /api/apps (400 names the field, param app.<field>), run and audited like a stored app, nothing stored',
          { allOf: [ref('AppRunRequest'), obj({ app: { type: 'object', description: 'an app definition, as for POST /api/apps' } }, ['app'])] },
          ref('AppRunResult'),
          {},
          [400, 401, 403, 404, 429, 502, 504],
        ),
      },
      '/api/admin/policies': {
        get: op('The effective governance policy, read-only (admin): guard policy per level and per model, review.require, audit durability and retention (own tenant; all for tenant "*"), rate and size limits. No secrets.', null, ref('AdminPolicies'), {}, [401, 403]),
      },
      '/api/admin/users': {
        get: op('The API key users of the caller\'s tenant (every tenant for tenant "*"), admin only; keyHint is the non-secret key id, never the key', null, arr(obj({ user: str, role: { type: 'string', enum: ['staff', 'reviewer', 'admin', 'auditor'] }, tenant: str, keyHint: { type: 'string', pattern: '^id:[0-9a-f]{12}$' }, models: arr(str), expiresAt: { type: 'string', format: 'date-time' }, expired: bool, lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'the time of the newest audit event made with this key (governed calls, ingests, review decisions); null when there is none' } }, ['user', 'role', 'tenant', 'keyHint', 'lastUsedAt'])), {}, [401, 403]),
      },
      '/api/admin/reload-keys': {
        post: op(
          'Re-read the config file on this node (the one that answers; behind a balancer, call each node or send each SIGHUP) and put its auth.apiKeys in force, as SIGHUP does; admin only, audited (admin.change, detail.change api_keys.reload, with the key ids added and removed). Only the keys change: requests in flight keep their identity, a removed key gets 401 on its next request. notApplied names other sections that differ from the running config (restart to apply). 409 config_invalid: the file is invalid and the keys in force are unchanged',
          null,
          obj(
            {
              keys: { type: 'integer', description: 'API keys in force now' },
              added: { type: 'integer', description: 'keys the reload added' },
              removed: { type: 'integer', description: 'keys the reload removed (refused from now on)' },
              changed: { type: 'integer', description: 'keys whose user, role, tenant, models or expiry changed' },
              notApplied: arr({ type: 'string', description: 'a config section or field, e.g. models, server.port' }),
            },
            ['keys', 'added', 'removed', 'changed', 'notApplied'],
          ),
          {},
          [401, 403, 409],
        ),
      },
      '/api/review': {
        get: (() => {
          const o = op(
            'Review queue of the tenant (reviewer, admin), oldest first, a page at a time; the body is the array, the headers say whether more follow. Each item says whether the caller may decide it (decidable)',
            null,
            arr(ref('ReviewItem')),
            {
              parameters: [
                queryParam('status', { type: 'string', enum: ['pending', 'approved', 'rejected'], default: 'pending' }),
                queryParam('limit', { type: 'integer', minimum: 1, maximum: 500, default: 100 }),
                queryParam('after', { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'only items with a larger id: the last id of the page before' }),
              ],
            },
            [400, 401, 403],
          );
          Object.assign(o.responses['200'], {
            headers: {
              'X-Has-More': { description: 'true when items follow this page', schema: { type: 'string', enum: ['true', 'false'] } },
              Link: { description: 'while X-Has-More is true: </api/review?status=…&after=<last id>&limit=…>; rel="next"', schema: { type: 'string' } },
            },
          });
          return o;
        })(),
      },
      '/api/review/{id}': { get: op('One review item (the requester sees the output once approved); 400 when id is not a positive integer', null, ref('ReviewItem'), { parameters: [reviewIdParam] }, [400, 401, 404]) },
      '/api/review/{id}/approve': { post: op('Approve (optionally with edited text); 403 self_review for an output the caller requested (unless review.allowSelfReview), 400 already_decided', obj({ reason: str, editedText: str }, ['reason']), ref('ReviewItem'), { parameters: [reviewIdParam] }, [400, 401, 403, 404]) },
      '/api/review/{id}/reject': { post: op('Reject; 403 self_review for an output the caller requested (unless review.allowSelfReview), 400 already_decided', obj({ reason: str }, ['reason']), ref('ReviewItem'), { parameters: [reviewIdParam] }, [400, 401, 403, 404]) },
      '/api/audit': {
        get: op(
          'Audit events of the tenant (auditor, admin), newest first; content only where retention kept it. Filters combine. actor.credential names the API key (id:…, as /api/admin/users lists it) or sign-in (oidc:…) that made the call. Page with before = the previous page\'s nextBefore while more is true',
          null,
          obj({ events: arr({ type: 'object' }), more: bool, nextBefore: int }, ['events', 'more']),
          {
            parameters: [
              queryParam('from'),
              queryParam('to'),
              queryParam('action'),
              queryParam('tenant', { type: 'string', description: 'admins and auditors of tenant "*" only; anyone else naming another tenant gets 403' }),
              queryParam('user'),
              queryParam('credential', { type: 'string', description: 'id:0123456789ab or oidc:…' }),
              queryParam('outcome', { type: 'string', description: 'allow, mask, block, review, error, cancelled, …' }),
              queryParam('model'),
              queryParam('before', { type: 'integer', minimum: 1, description: 'only events with a smaller id' }),
              queryParam('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
            ],
          },
          [400, 401, 403],
        ),
      },
      '/api/audit/verify': { post: op('Verify the whole hash chain and its signed checkpoints', null, obj({ ok: bool, events: int, checkpoints: int, firstBad: obj({ id: int, problem: str }), lastCheckpoint: { type: ['object', 'null'], description: 'with ok: the last signed checkpoint (null: none yet)', properties: { treeSize: int, time: str } }, unanchored: { type: 'integer', description: 'with ok: events after the last signed checkpoint, which whoever can write the database could cut off unnoticed; compare with a checkpoint saved elsewhere (hiraga audit verify --checkpoint FILE)' } }), {}, [401, 403]) },
      '/api/guard/scan': { post: op('Scan a text for personal data, confidentiality and flags', obj({ text: str }, ['text']), ref('ScanResult')) },
      '/auth/oidc/config': {
        get: {
          summary: 'Sign-in with the organisation\'s identity provider (OIDC, authorization code + PKCE S256): where the web UI sends the browser. No credentials needed; no secret in the answer. authorizationEndpoint comes from the issuer\'s discovery document and is on the issuer\'s origin. redirectUri is auth.oidc.redirectUri, or null: then <the UI\'s origin>/oidc/callback',
          security: [],
          responses: {
            '200': { description: 'OIDC is configured', content: json(ref('OidcConfig')) },
            '404': { description: 'OIDC is not configured (code oidc_not_configured)', content: json(ref('Error')) },
            '502': { description: 'the issuer\'s discovery document could not be fetched or names endpoints on another origin', content: json(ref('Error')) },
          },
        },
      },
      '/auth/oidc/token': {
        post: {
          summary: 'Exchange an authorization code for a verified ID token: the gateway posts the code, the PKCE verifier, the redirect URI, client_id (and the client secret, when configured) to the configured issuer\'s token endpoint and verifies the returned id_token (signature, iss, aud, exp, nonce when sent). The idToken is then the Bearer credential for /api and /v1. No credentials needed; rate limited per client address.',
          security: [],
          requestBody: { required: true, content: json(ref('OidcTokenRequest')) },
          responses: {
            '200': { description: 'Signed in (Cache-Control: no-store)', content: json(ref('OidcSession')) },
            '400': { description: 'a missing or malformed field (param names it), or redirectUri other than the configured one', content: json(ref('Error')) },
            '401': { description: 'the issuer rejected the code (wrong or used code, wrong PKCE verifier; code oidc_code_rejected) or the ID token did not verify (code oidc_token_invalid)', content: json(ref('Error')) },
            '404': { description: 'OIDC is not configured', content: json(ref('Error')) },
            ...errors(413, 429),
            '502': { description: 'the issuer is unreachable, failed, or refused hiraga\'s client credentials', content: json(ref('Error')) },
            ...errors(504),
          },
        },
      },
      '/healthz': { get: { summary: 'Health (503 while draining or when the store does not answer within 1.5 s; Redis is reported, not decisive)', security: [], responses: { '200': { description: 'OK', content: json(obj({ status: str, version: str, store: str, limiter: str, redis: str })) }, '503': { description: 'not ready: status unhealthy (store unreachable|timeout) or shutting_down' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'text exposition format', content: { 'text/plain': { schema: str } } } } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } } },
    }),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key from auth.apiKeys, or an OIDC ID token when auth.oidc is configured' } },
      schemas: {
        Error: obj({ error: obj({ message: str, type: str, code: str, param: { type: ['string', 'null'] }, request_id: str }, ['message', 'type', 'code', 'param']) }, ['error']),
        ToolCall: obj({ id: str, type: { const: 'function' }, function: obj({ name: str, arguments: str }, ['name', 'arguments']) }, ['id', 'function']),
        ChatMessage: obj(
          {
            role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant', 'tool'] },
            content: { oneOf: [str, arr(obj({ type: str, text: str })), { type: 'null' }] },
            tool_calls: { ...arr(ref('ToolCall')), description: 'an assistant turn that called functions' },
            tool_call_id: { ...str, description: 'a tool turn: the call it answers' },
          },
          ['role'],
        ),
        ChatCompletionRequest: obj(
          {
            model: str,
            messages: arr(ref('ChatMessage')),
            stream: bool,
            stream_options: obj({ include_usage: bool }),
            max_tokens: int,
            max_completion_tokens: int,
            temperature: num,
            top_p: num,
            seed: int,
            presence_penalty: num,
            frequency_penalty: num,
            stop: { oneOf: [str, arr(str)], description: 'up to 4 sequences; refused (400, code unsupported_parameter) for a model without stop in supported_parameters' },
            response_format: {
              oneOf: [obj({ type: { const: 'text' } }, ['type']), obj({ type: { const: 'json_object' } }, ['type']), obj({ type: { const: 'json_schema' }, json_schema: obj({ name: str, description: str, schema: { type: 'object' }, strict: bool }, ['name']) }, ['type', 'json_schema'])],
              description: 'JSON output; refused (400, code unsupported_parameter) for a model without response_format in supported_parameters',
            },
            tools: { ...arr(obj({ type: { const: 'function' }, function: obj({ name: str, description: str, parameters: { type: 'object' }, strict: bool }, ['name']) }, ['type', 'function'])), description: 'function calling; refused (400, code unsupported_parameter, param tools) for a model without tools in supported_parameters' },
            tool_choice: { oneOf: [{ type: 'string', enum: ['none', 'auto', 'required'] }, obj({ type: { const: 'function' }, function: obj({ name: str }, ['name']) }, ['type', 'function'])] },
            parallel_tool_calls: bool,
            reasoning_effort: { type: 'string', enum: ['minimal', 'low', 'medium', 'high'], description: 'for reasoning models; a hint a model without it ignores' },
            hiraga: obj({ confidentiality: level, app: str, collection: str, review: bool }),
          },
          ['messages'],
        ),
        Hiraga: obj({
          confidentiality: level,
          policy: { type: 'string', enum: ['allow', 'mask'] },
          masked: arr(obj({ type: str, placeholder: str })),
          flags: arr(str),
          review: { oneOf: [{ type: 'null' }, obj({ id: int, status: str })] },
          audit_id: int,
          cost_jpy: num,
          energy_wh: num,
        }),
        ResponsesRequest: obj(
          {
            model: str,
            input: { oneOf: [str, arr({ type: 'object', description: 'a message {role, content}, a function_call or a function_call_output; reasoning items are left out; item_reference refused' })] },
            instructions: str,
            stream: bool,
            max_output_tokens: int,
            temperature: num,
            top_p: num,
            tools: {
              ...arr({
                oneOf: [
                  obj({ type: { const: 'function' }, name: str, description: str, parameters: { type: 'object' }, strict: bool }, ['type', 'name']),
                  obj({ type: { const: 'file_search' }, vector_store_ids: { ...arr(str), description: "the caller's collections (up to 4)" }, max_num_results: int }, ['type', 'vector_store_ids']),
                ],
              }),
              description: 'function tools, and file_search over your own collections (資料QA, searched before the call); other hosted tools refused (400 unsupported_parameter)',
            },
            tool_choice: { oneOf: [{ type: 'string', enum: ['none', 'auto', 'required'] }, obj({ type: { const: 'function' }, name: str }, ['type', 'name']), obj({ type: { const: 'file_search' } }, ['type'])] },
            include: { ...arr(str), description: 'file_search_call.results adds the passages found to the file_search_call item' },
            parallel_tool_calls: bool,
            reasoning: obj({ effort: { type: 'string', enum: ['minimal', 'low', 'medium', 'high'] } }),
            text: obj({ format: { type: 'object', description: '{type: text | json_object | json_schema, name, schema, strict}' } }),
            metadata: { type: 'object', additionalProperties: str },
            previous_response_id: { type: 'null', description: 'refused: hiraga stores no responses' },
            hiraga: obj({ confidentiality: level, app: str, collection: str, review: bool }),
          },
          ['input'],
        ),
        Response: obj({
          id: str,
          object: { const: 'response' },
          created_at: int,
          completed_at: int,
          status: { type: 'string', enum: ['in_progress', 'completed', 'incomplete', 'failed'] },
          incomplete_details: { oneOf: [obj({ reason: { type: 'string', enum: ['max_output_tokens', 'content_filter'] } }), { type: 'null' }] },
          error: { oneOf: [obj({ code: str, message: str }), { type: 'null' }] },
          model: str,
          output: arr({
            oneOf: [
              obj({ type: { const: 'file_search_call' }, id: str, status: str, queries: arr(str), results: { oneOf: [arr({ type: 'object' }), { type: 'null' }] } }),
              obj({ type: { const: 'message' }, id: str, role: str, status: str, content: arr(obj({ type: { const: 'output_text' }, text: str, annotations: arr(obj({ type: { const: 'file_citation' }, file_id: str, filename: str, index: int })) })) }),
              obj({ type: { const: 'function_call' }, id: str, call_id: str, name: str, arguments: str, status: str }),
            ],
          }),
          usage: obj({ input_tokens: int, output_tokens: int, total_tokens: int }),
          store: { const: false },
          hiraga: ref('Hiraga'),
        }),
        ChatCompletion: obj({
          id: str,
          object: { const: 'chat.completion' },
          created: int,
          model: str,
          choices: arr(obj({ index: int, message: obj({ role: str, content: { oneOf: [str, { type: 'null' }] }, tool_calls: arr(ref('ToolCall')) }), finish_reason: { type: 'string', enum: ['stop', 'length', 'tool_calls', 'content_filter'] } })),
          usage: obj({ prompt_tokens: int, completion_tokens: int, total_tokens: int }),
          hiraga: ref('Hiraga'),
        }),
        Model: obj({ id: str, object: str, owned_by: str, provider: str, origin: { type: 'string', enum: ['domestic', 'foreign'] }, hosting: { type: 'string', enum: ['on-prem', 'domestic-cloud', 'foreign-cloud'] }, clearance: level, embeddings: bool, supported_parameters: arr(str), fallback: arr(str), tenants: { ...arr(str), description: 'only these tenants may use the model (absent: all)' } }),
        Hit: obj({ source: str, chunk: int, score: num, text: str, heading: str }),
        Citation: obj({ source: str, chunk: int, quote: str, heading: str }),
        AskResult: obj({
          answer: str,
          abstained: bool,
          citations: arr(ref('Citation')),
          model: str,
          modelInfo: obj({ origin: str, hosting: str }),
          confidentiality: level,
          masked: arr(obj({ type: str, placeholder: str })),
          flags: arr(str),
          review: obj({ id: int, status: str }),
          auditId: int,
        }),
        AppRunRequest: obj({ inputs: { type: 'object', additionalProperties: true }, model: str, confidentiality: level }),
        AppRunResult: obj({ app: str, output: str, model: { type: ['string', 'null'] }, confidentiality: level, masked: arr(obj({ type: str, placeholder: str })), flags: arr(str), review: obj({ id: int, status: str }), auditId: int, audit_id: int, docx: { type: 'string', contentEncoding: 'base64' } }),
        AdminPolicies: obj({
          tenant: str,
          guard: obj({ policy: obj({ '2': ref('PolicyAction'), '3': ref('PolicyAction') }), typeLevels: { type: 'object', additionalProperties: level }, restoreMasked: bool }),
          models: arr(obj({ id: str, label: str, provider: str, origin: str, hosting: str, clearance: level, default: bool, fallback: arr(str), tenants: arr(str), levels: obj({ '1': ref('PolicyAction'), '2': ref('PolicyAction'), '3': ref('PolicyAction') }) })),
          review: obj({ require: obj({ copyright: bool, injection: bool, minConfidentiality: int, lowGrounding: bool }) }),
          audit: obj({
            durability: { type: 'string', enum: ['fsync', 'os'] },
            retentionDays: obj({ effective: { type: 'object', additionalProperties: int }, default: { type: 'object', additionalProperties: int }, tenants: { type: 'object', additionalProperties: { type: 'object', additionalProperties: int } } }),
          }),
          rateLimits: obj({ perKey: int, perTenant: int, windowMs: int }),
          limits: obj({ maxBodyBytes: int, maxUploadBytes: int, maxFileBytes: int, maxMessages: int, maxMessageChars: int, requestTimeoutMs: int }),
        }),
        OidcConfig: obj({ issuer: str, clientId: str, authorizationEndpoint: str, scope: str, redirectUri: { type: ['string', 'null'] } }, ['issuer', 'clientId', 'authorizationEndpoint', 'scope', 'redirectUri']),
        OidcTokenRequest: obj(
          {
            code: { type: 'string', description: 'the code from the redirect' },
            codeVerifier: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$', description: 'the PKCE code_verifier whose S256 challenge went to the authorization endpoint' },
            redirectUri: { type: 'string', format: 'uri', description: 'the redirect_uri of the authorization request (must equal auth.oidc.redirectUri when that is set)' },
            nonce: { type: 'string', description: 'the nonce of the authorization request; the ID token must carry it' },
          },
          ['code', 'codeVerifier', 'redirectUri'],
        ),
        OidcSession: obj(
          { idToken: { type: 'string', description: 'the verified ID token: send it as Authorization: Bearer' }, expiresAt: { type: 'string', format: 'date-time' }, user: str, role: { type: 'string', enum: ['staff', 'reviewer', 'admin', 'auditor'] }, tenant: str },
          ['idToken', 'expiresAt', 'user', 'role', 'tenant'],
        ),
        PolicyAction: { type: 'string', enum: ['allow', 'mask', 'block'] },
        ReviewItem: obj({
          id: int,
          tenant: str,
          requester: str,
          app: { type: ['string', 'null'], description: 'null for a call made without an app (e.g. /v1/chat/completions)' },
          model: { type: ['string', 'null'] },
          reason: str,
          status: { type: 'string', enum: ['pending', 'approved', 'rejected'] },
          statusLabel: str,
          output: { type: ['string', 'null'] },
          created_at: str,
          decidable: { type: 'boolean', description: 'the caller may decide it: pending, a reviewer or admin, and not their own request unless review.allowSelfReview' },
        }),
        ScanResult: obj({ findings: arr(obj({ type: str, start: int, end: int, text: str, score: num })), confidentiality: level, flags: arr(str) }),
      },
    },
  };
}
