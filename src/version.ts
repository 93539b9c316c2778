/** The kit's version, from package.json (the one place it is written), inlined by the bundler. */
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
