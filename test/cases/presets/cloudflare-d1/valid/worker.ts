interface Env {
  DB: D1Database;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const user = await env.DB.prepare('SELECT * FROM users WHERE id = ?').bind(1).first();
    const bump = env.DB.prepare('UPDATE users SET visits = visits + 1 WHERE id = ?');
    await bump.bind(1).run();
    await env.DB.prepare(`SELECT * FROM carts`).all();
    await env.DB.prepare('SELECT 1').raw();
    await env.DB.batch([bump.bind(2), env.DB.prepare('DELETE FROM sessions')]);
    await env.DB.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER)');
    await env.DB.prepare(request.url).first();
    return Response.json(user);
  },
};
