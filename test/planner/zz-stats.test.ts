import fc from 'fast-check';
import { it } from 'vitest';
import { solve } from '../../planner/placement.js';
import { entryProblem, showProblem } from './arbitraries.js';
import { bruteForce, moves, sameCost, feasibleByModel, modelCost } from './brute-force.js';
it('stress', () => {
  let amb = 0, costOff = 0, movesOff = 0;
  fc.assert(fc.property(entryProblem(), (p) => {
    const b = bruteForce(p); const s = solve(p);
    if ((s === null) !== !b.feasible) throw new Error('null mismatch ' + showProblem(p));
    if (s === null) return;
    if (!feasibleByModel(p, s.placement)) throw new Error('infeasible');
    if (b.ambiguous) { amb++; if (!sameCost(s.cost, b.best)) { costOff++; if (costOff < 3) console.log('COST', s.cost, b.best, (s.cost-b.best)/Math.max(1,b.best), showProblem(p)); } if (moves(p, s.placement) !== b.bestMoves) movesOff++; if (Math.abs(s.cost - b.best) > 1e-7 * Math.max(1, b.best)) throw new Error('amb cost'); return; }
    if (!sameCost(s.cost, b.best)) throw new Error(`cost ${s.cost} vs ${b.best}`);
    if (!sameCost(modelCost(p, s.placement).total, s.cost)) throw new Error('sum');
    if (moves(p, s.placement) !== b.bestMoves) throw new Error(`moves ${moves(p, s.placement)} vs ${b.bestMoves} [${s.placement.join()}] vs [${b.witness?.join()}]`);
  }), { numRuns: Number(process.env.RUNS ?? 20000) });
  console.log('ambiguous', amb, 'cost off', costOff, 'moves off', movesOff);
});
