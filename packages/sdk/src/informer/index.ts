export { Informer, type InformerEvent, type InformerOptions, type InformerStats, type Keyed, stripBookkeeping } from './informer.ts';
