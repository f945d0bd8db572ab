interface Env {
  DB: D1Database;
}

class Statement {
  first(): string {
    return '';
  }
  run(): void {}
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    env.DB.prepare('SELECT 1');
    env.DB.prepare('SELECT 1').bind(2);
    new Statement().first();
    new Statement().run();
    await Promise.all([request.text()]);
    return new Response('ok');
  },
};
