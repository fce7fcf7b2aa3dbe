// How the benchmark attaches each helper pattern (when the library exports it) to a Deployment
// whose app container is `app`. Keyed by the construct's export name.
'use strict';
module.exports = {};
