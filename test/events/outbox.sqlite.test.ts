import { outboxSuite } from './outbox-suite.ts';

outboxSuite('sqlite');
