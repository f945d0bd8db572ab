export default {
  async fetch(request: Request): Promise<Response> {
    const agent = navigator.userAgent;
    console.log(agent);
    return new Response(request.url);
  },
};
