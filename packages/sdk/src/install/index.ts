export * from './claims.ts';
export * from './cluster-roles.ts';
export * from './labels.ts';
export * from './placement.ts';
export * from './protect.ts';
export * from './render.ts';
export * from './runtime-class.ts';
export * from './sandbox.ts';
