import net from 'node:net';

/**
 * A TCP relay on 127.0.0.1 to a server (PostgreSQL, Redis) that a test can freeze — it stops forwarding and the
 * connections stay open, as with a frozen host or a partition — or cut: every connection closed, new ones refused.
 */
export async function relay(target: URL) {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    if (frozen) return;
    const out = net.connect(Number(target.port), target.hostname);
    sockets.add(out);
    out.on('error', () => {});
    out.on('close', () => {
      sockets.delete(out);
      client.destroy();
    });
    client.on('close', () => out.destroy());
    client.on('data', (d) => void (frozen || out.write(d)));
    out.on('data', (d) => void (frozen || client.write(d)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url(base: string) {
      const u = new URL(base);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    freeze: () => void (frozen = true),
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
