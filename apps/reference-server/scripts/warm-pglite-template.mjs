// After the build: opens one fresh in-memory database so that the PGlite template exists
// before the first start (see src/storage/pglite-template.ts). A fresh clone's `npm start`
// then loads it instead of running initdb. Does nothing when it is already there.
import { openDatabase } from '../dist/storage/index.js';

const db = await openDatabase({ dataDir: 'memory' });
await db.close();
