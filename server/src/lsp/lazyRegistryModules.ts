// Loads registryModules.ts on first use (see there why). A `require` that the bundler keeps lazy: the
// modules are in the bundle, evaluated only when this is first called.
import type * as RegistryModules from './registryModules';

let loaded: typeof RegistryModules | undefined;

export function registryModules(): typeof RegistryModules {
  loaded ??= require('./registryModules') as typeof RegistryModules;
  return loaded;
}
