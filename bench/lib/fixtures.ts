/**
 * Commands, contexts and stored-event rows shaped like the service's own: amounts are strings
 * ("1250.00"), sources are real codes with the sub-fields they take, contexts carry the request
 * hash the controller would compute.
 */
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../src/event-store/write-path';
import { canonicalJson, sha256Hex } from '../../src/event-store/hashing';
import { ProjectCommand, ReceiveFunds } from '../../src/project/project.commands';
import { ProjectEventType } from '../../src/project/project.events';

/** Sources a receipt can name without a budget line, with the sub-fields each one takes. */
export const RECEIPT_SOURCES: readonly { source: string; details: Record<string, string> }[] = [
  { source: 'resident_direct', details: { householdId: 'H-0101' } },
  { source: 'public_revenue', details: {} },
  { source: 'social_capital', details: { operatingRights: '停车场经营权 10 年' } },
  { source: 'district_matching', details: {} },
  { source: 'social_donation', details: { donorKind: 'enterprise' } },
  { source: 'bank_loan', details: { lender: '重庆农村商业银行潼南支行' } },
  { source: 'special_bond', details: { bondId: '2021-渝-专项-07' } },
  { source: 'central_budget_investment', details: {} },
];

export const ACTOR = { id: 'u-bench-clerk', role: 'clerk', org: 'org-district-finance' };

export const projectIdOf = (i: number): string => `TN-BENCH-${String(i).padStart(6, '0')}`;

/** An amount string from a counter: "1000.00" .. "9999.99", never a JS number carrying money. */
export function amountOf(i: number): string {
  return `${1000 + (i % 9000)}.${String(i % 100).padStart(2, '0')}`;
}

export function registerCommand(projectId: string): ProjectCommand {
  return {
    type: 'RegisterProject',
    projectId,
    name: '凉风垭街道 建设路片区老旧小区改造',
    community: '建设路小区',
    town: '凉风垭街道',
    builtYear: 1998,
    buildingArea: 12500.5,
    households: 180,
  };
}

export function approveCommand(projectId: string): ProjectCommand {
  return {
    type: 'ApproveProject',
    projectId,
    approvedInvestment: '8000000.00',
    docNo: '潼南发改投〔2021〕123号',
    // before the seed took effect: the standard path, which needs no joint review
    approvedOn: '2021-06-01',
    involvesIndependentInfrastructure: false,
  };
}

/** The body of POST /api/projects/:id/receipts number `i` (sub-fields flat, as the API takes them). */
export function receiptBody(i: number, receiptId = `R-${i}`): Record<string, unknown> {
  const { source, details } = RECEIPT_SOURCES[i % RECEIPT_SOURCES.length];
  return {
    receiptId,
    source,
    amount: amountOf(i),
    payer: '潼南区财政局',
    reference: `国库集中支付凭证 ${100000 + i}`,
    receivedOn: '2022-03-01',
    fiscalYear: 2022,
    ...details,
  };
}

export function receiveCommand(projectId: string, i: number, receiptId = `R-${i}`): ReceiveFunds {
  const { source, details } = RECEIPT_SOURCES[i % RECEIPT_SOURCES.length];
  return {
    type: 'ReceiveFunds',
    projectId,
    receiptId,
    source,
    amount: amountOf(i),
    payer: '潼南区财政局',
    reference: `国库集中支付凭证 ${100000 + i}`,
    receivedOn: '2022-03-01',
    fiscalYear: 2022,
    details: { ...details },
    recordedOn: '2022-03-01',
  };
}

/** The context the controller builds for a request (request hash over route, params and body). */
export function contextOf(commandId: string, route: string, projectId: string, body: unknown): CommandContext {
  return {
    commandId,
    requestHash: sha256Hex(canonicalJson({ route, params: { id: projectId }, body })),
    actor: ACTOR,
    correlationId: commandId,
    causationId: commandId,
    recordedAt: new Date().toISOString(),
  };
}

const PLACEHOLDER_HASH = 'f'.repeat(64);

/**
 * A funds-received row as the store writes it (data and metadata JSON of the real sizes), for
 * stores built directly with better-sqlite3. The hashes are placeholders: a rebuild does not check them.
 */
export function receivedRow(
  i: number,
  projectId: string,
): { eventId: string; commandId: string; type: string; data: string; metadata: string } {
  const eventId = randomUUID();
  const commandId = randomUUID();
  const { source, details } = RECEIPT_SOURCES[i % RECEIPT_SOURCES.length];
  const data = {
    projectId,
    receiptId: `R-${i}`,
    source,
    amount: amountOf(i),
    payer: '潼南区财政局',
    reference: `国库集中支付凭证 ${100000 + i}`,
    receivedOn: '2022-03-01',
    fiscalYear: 2022,
    details,
  };
  const metadata = {
    eventId,
    commandId,
    requestHash: PLACEHOLDER_HASH,
    actor: ACTOR,
    correlationId: commandId,
    causationId: commandId,
    recordedAt: '2022-03-01T08:00:00.000Z',
    prevHash: PLACEHOLDER_HASH,
    hash: PLACEHOLDER_HASH,
  };
  return {
    eventId,
    commandId,
    type: ProjectEventType.received,
    data: JSON.stringify(data),
    metadata: JSON.stringify(metadata),
  };
}

export { PLACEHOLDER_HASH };
