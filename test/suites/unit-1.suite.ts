import { loadSuite } from './load';

loadSuite(1);
