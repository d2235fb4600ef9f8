import { outboxSuite } from './outbox-suite.ts';

outboxSuite('postgres');
