#!/usr/bin/env node
// The bin lives in dist/ (built); this committed file lets pnpm link it before a build.
import '../dist/main.js';
