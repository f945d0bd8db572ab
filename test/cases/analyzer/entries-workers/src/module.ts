async function fetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  return new Response(url.pathname);
}

export default { fetch };
