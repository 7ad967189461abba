import { ValidationArguments, ValidationTypes, ValidatorConstraintInterface, getMetadataStorage } from 'class-validator';

/**
 * A fast yes/no on a request body, read once per DTO class from the same class-validator
 * decorators the full validation runs, calling the same constraint functions (isString, matches,
 * maxLength, ...), without the per-call metadata lookups, grouping and error objects that make
 * class-validator's `validate` the costliest step of a write request.
 *
 * It only ever says "valid": `true` means class-validator (with whitelist and
 * forbidNonWhitelisted) finds no error; anything else (`false`) sends the body to class-validator,
 * which builds the error the client sees. A DTO using anything the verdict does not model
 * (nested objects, `each`, groups, `always`, validateIf, promises, async constraints) gets no
 * verdict at all, so every body of it goes to class-validator.
 * test/unit/http/body-verdict.spec.ts holds it to class-validator over every write DTO.
 */
export type BodyVerdict = (instance: object) => boolean;

interface Check {
  instance: ValidatorConstraintInterface;
  constraints: unknown[];
}

interface PropertyPlan {
  name: string;
  /** IsOptional and ValidateIf-style conditions: all must hold for the property to be judged. */
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: Check[];
}

const verdicts = new Map<Function, BodyVerdict | null>();

/** The verdict for a DTO class, built on first use; null when the DTO needs class-validator itself. */
export function bodyVerdictOf(dto: Function): BodyVerdict | null {
  let verdict = verdicts.get(dto);
  if (verdict === undefined) {
    verdict = buildVerdict(dto);
    verdicts.set(dto, verdict);
  }
  return verdict;
}

function buildVerdict(dto: Function): BodyVerdict | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false);
  if (metadatas.length === 0) return null; // class-validator's unknownValue case
  const grouped = storage.groupByPropertyName(metadatas);
  const plans: PropertyPlan[] = [];
  for (const [name, list] of Object.entries(grouped)) {
    const plan: PropertyPlan = { name, conditions: [], checks: [] };
    for (const m of list) {
      if (m.each || m.always || m.validateIf || (m.groups && m.groups.length > 0)) return null;
      if (m.type === ValidationTypes.WHITELIST) continue;
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        plan.conditions.push(m.constraints[0] as PropertyPlan['conditions'][number]);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION || m.type === ValidationTypes.IS_DEFINED) {
        for (const c of storage.getTargetValidatorConstraints(m.constraintCls)) {
          if (c.async) return null;
          plan.checks.push({ instance: c.instance, constraints: m.constraints });
        }
      } else {
        return null; // nested or promise validation
      }
    }
    plans.push(plan);
  }
  const known = new Set(plans.map((p) => p.name));
  const targetName = dto.name;
  return (object) => {
    for (const key of Object.keys(object)) if (!known.has(key)) return false;
    const record = object as Record<string, unknown>;
    for (const plan of plans) {
      const value = record[plan.name];
      let judged = true;
      for (const condition of plan.conditions) if (!condition(object, value)) judged = false;
      if (!judged) continue;
      for (const { instance, constraints } of plan.checks) {
        const args: ValidationArguments = { targetName, property: plan.name, object, value, constraints };
        if (instance.validate(value, args) !== true) return false;
      }
    }
    return true;
  };
}
