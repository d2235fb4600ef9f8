import { outboxSuite } from './outbox-suite.ts';

outboxSuite('mysql');
