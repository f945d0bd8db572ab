import { it } from 'vitest';
import { solve, solveTables } from '/work/main/planner/placement.js';
import { bruteForce, modelCost, moves } from '/work/main/test/planner/brute-force.js';
it('ce', () => {
  const p = {"k":2,"arrival":0,"n":6,"parent":Int32Array.from([-1,0,1,2,1,4]),"children":[[1],[2,4],[3],[],[5],[]],"alternatives":Uint8Array.from([0,0,0,0,0,0]),"count":Float64Array.from([1,1,1,1,1,1]),"own":Float64Array.from([0,0,0,0,0,0,1.0000000000000003e-9,0,0,1.4551914419547994e-11,0,8.121967511289253e-19]),"compute":Float64Array.from([0,0,0,0,0,0,1.0000000000000003e-9,0,0,1.4551914419547994e-11,0,8.121967511289253e-19]),"allowed":Uint8Array.from([1,0,1,0,0,1,1,1,0,1,0,1]),"noCut":Uint8Array.from([0,0,0,0,0,0]),"bytes":Float64Array.from([0,0,0,0,0,0]),"rtt":Float64Array.from([0,0,0,0]),"msPerByte":Float64Array.from([0,0,0,0])};
  const s = solve(p)!; const b = bruteForce(p);
  console.log(Array.from(s.placement), s.cost, moves(p, s.placement), b, solveTables(p));
  for (const pl of [[0,0,1,1,1,0],[0,0,1,0,1,1],[0,0,1,1,1,1]]) console.log(pl, modelCost(p, pl).total, moves(p, pl));
});
