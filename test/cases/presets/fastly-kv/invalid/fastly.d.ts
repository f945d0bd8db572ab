/// <reference path="../../_ambient/fastly.d.ts" />
