export * from './common.ts';
export * from './duration.ts';
export * from './names.ts';
export * from './organization.ts';
export * from './settings.ts';
export * from './space.ts';
export * from './tenant.ts';
export * from './validate.ts';
