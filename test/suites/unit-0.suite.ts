import { loadSuite } from './load';

loadSuite(0);
