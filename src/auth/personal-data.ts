import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { PersonalDataView } from '../events/personal-fields';
import { Actor, Role } from './tokens';

/**
 * Who sees personal data (a resident's name and household, a person paying or paid, a bank
 * account: src/events/personal-fields.ts lists the fields): those whose work needs it, the
 * finance bureau, the clerks who record the money, auditors, administrators (个人信息保护法: the
 * minimum necessary). Housing (projects and budgets), viewers, and any read without a token see
 * those fields masked.
 */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['finance', 'clerk', 'auditor', 'admin'];

export function personalDataViewOf(actor: Actor | undefined): PersonalDataView {
  return actor !== undefined && PERSONAL_DATA_ROLES.includes(actor.role) ? 'shown' : 'masked';
}

/** A route parameter: how the caller (the guard's `req.actor`) may see personal data. */
export const PersonalData = createParamDecorator((_: unknown, context: ExecutionContext): PersonalDataView =>
  personalDataViewOf(context.switchToHttp().getRequest<{ actor?: Actor }>().actor),
);
