/// <reference path="../../_ambient/deno.d.ts" />
