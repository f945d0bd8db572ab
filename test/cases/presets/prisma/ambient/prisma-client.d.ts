/// <reference path="../../_ambient/prisma-client.d.ts" />
