import OpenAI from 'openai';
import { startUpstream } from '/work/main/test/helpers/upstream.ts';
const up = await startUpstream({ apiKey: 'k' });
const c = new OpenAI({ baseURL: up.url, apiKey: 'k', maxRetries: 0 });
const r = await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'こんにちは world' }] });
console.log(r.choices[0].message.content, r.usage);
const s = await c.chat.completions.create({ model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: '東京都港区の住民票について教えて' }] });
let t = ''; for await (const ch of s) { t += ch.choices[0]?.delta?.content ?? ''; if (ch.usage) console.log('usage', ch.usage); }
console.log(t);
up.script(['cut-stream']);
try { const s2 = await c.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c d e f g' }] }); for await (const ch of s2) process.stdout.write(JSON.stringify(ch.choices[0]?.delta)); } catch (e) { console.log('\ncut err:', (e as Error).constructor.name, (e as Error).message); }
up.script(['malformed']);
try { await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }); } catch (e) { console.log('malformed err:', (e as Error).constructor.name, (e as Error).message); }
up.script([{ delayMs: 2000 }]);
try { await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { timeout: 200 }); } catch (e) { console.log('timeout err:', (e as Error).constructor.name, (e as Error).message); }
const e = await c.embeddings.create({ model: 'm', input: ['あいう', 'abc'] }); console.log(e.data[0].embedding.length);
console.log(up.requests.length);
await up.close();
