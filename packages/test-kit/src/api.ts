// The HTTP client of the checks (no database, Prism or contract imports: Dredd's CommonJS hooks require it).
export * from './api/session.js';
export * from './api/transport.js';
