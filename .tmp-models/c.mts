import OpenAI from 'openai';
const c = new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', maxRetries: 0 });
try { await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }); } catch (e: any) {
  let x = e; for (let i=0;i<5 && x;i++){ console.log(i, x.constructor?.name, x.code, x.message, Object.keys(x)); x = x.cause; }
}
const d = new OpenAI({ baseURL: 'http://nonexistent.invalid/v1', apiKey: 'k', maxRetries: 0 });
try { await d.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }); } catch (e: any) {
  let x = e; for (let i=0;i<5 && x;i++){ console.log(i, x.constructor?.name, x.code, x.message); x = x.cause; }
}
