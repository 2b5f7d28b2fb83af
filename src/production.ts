// Imported first by the command line, before anything loads Elysia. Elysia decides production
// mode once, from Bun.env.NODE_ENV, when its module loads; a build-time define of
// process.env.NODE_ENV does not reach it. Outside production its validation errors print the
// whole rejected value (seconds of event loop and gigabytes for a deep body), so every shipped
// form (binary, container, `bun run start`) runs in production unless the operator set a mode.
// The one place besides config.ts that touches the environment: it writes, before config reads.
Bun.env.NODE_ENV ||= 'production'

/** The mode this process runs in, for the start line. */
export const runMode = Bun.env.NODE_ENV
