// A TypeDoc plugin (typedoc.json): during validation, every optional property of an exported
// interface (the constructs' props and the functions' options) must say what happens when it is
// left out, with an `@default` tag (a value, or "- behaviour"); fields inherited from the
// Kubernetes L1 types (imports/k8s.ts) are Kubernetes' own. Reported as a validation warning,
// which `treatValidationWarningsAsErrors` turns into a failure of `npm run docs:api`.
import { Application, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    if (!app.options.getValue('validation').notDocumented) return;
    const missing = project.getReflectionsByKind(ReflectionKind.Property)
      .filter((r) => r.flags.isOptional && r.parent?.kindOf(ReflectionKind.Interface) && !r.comment?.getTag('@default'))
      // fields inherited from a type the package does not export (the Kubernetes L1 types of
      // imports/k8s.ts, e.g. ContainerSpec's): their defaults are Kubernetes' own, documented there
      .filter((r) => !(r.inheritedFrom && !r.inheritedFrom.reflection))
      .map((r) => r.getFriendlyFullName())
      .sort();
    for (const name of missing) {
      app.logger.warn(`${name} is optional but has no @default tag saying what happens when it is left out`);
    }
  });
}
