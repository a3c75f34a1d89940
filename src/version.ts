declare const PGSR_VERSION: string;
/** Version injected by the bundler (scripts/build.mjs); "dev" when run from sources. */
export const VERSION = typeof PGSR_VERSION === 'string' ? PGSR_VERSION : 'dev';
