import type { RequestCase } from '../src/runtime/original/index.js';
export declare const corpusFile: string;
export declare const GENERATOR_SEED: number;
export declare const GENERATED: number;
export declare function generatedCases(): RequestCase[];
export declare function token(kind: 'valid' | 'expired' | 'forged', id: number, username: string): string;
