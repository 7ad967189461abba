/**
 * The bodies the crash suite's clients send: every one of them is accepted by the rules whatever
 * order concurrent clients send them in (each project holds far more district money than its
 * payments can spend, each batch far more than its allocations take), so under load every answer
 * the service gives before a kill is 201 or 202, and any other is a defect the suite reports.
 * Business dates are in 2021 and in rule order: batch issued, project approved, money received,
 * allocated, paid.
 */
export const LEDGER_DATES = {
  issued: '2021-01-15',
  approved: '2021-02-01',
  received: '2021-03-01',
  allocated: '2021-03-15',
  paid: '2021-06-01',
} as const;
const FISCAL_YEAR = 2021;
const LINE_ID = 'B1';

/** An amount string from a counter, 100.00 .. 999.99: never a JS number carrying money. */
export function amountOf(i: number): string {
  return `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`;
}

export function projectBody(projectId: string) {
  return {
    projectId,
    name: `${projectId} 老旧小区改造`,
    community: `${projectId} 小区`,
    town: '桂林街道',
    builtYear: 1998,
    buildingArea: 12000,
    households: 150,
  };
}

export function budgetLineBody() {
  return { lineId: LINE_ID, category: 'basic', item: 'roof', estimatedCost: '50000000.00' };
}

export function approvalBody() {
  return {
    approvedInvestment: '50000000.00',
    docNo: '潼南发改〔2021〕17号',
    approvedOn: LEDGER_DATES.approved,
    involvesIndependentInfrastructure: false,
  };
}

/** A district-matching receipt (no line, no pledge: nothing it could be refused for). */
export function receiptBody(receiptId: string, i: number, amount = amountOf(i)) {
  return {
    receiptId,
    source: 'district_matching',
    amount,
    payer: '潼南区财政局',
    reference: `国库集中支付凭证 ${100000 + i}`,
    receivedOn: LEDGER_DATES.received,
    fiscalYear: FISCAL_YEAR,
  };
}

/** A small payment from district money, which the project's opening receipt covers many times over. */
export function disbursementBody(paymentId: string, i: number) {
  return {
    paymentId,
    source: 'district_matching',
    lineId: LINE_ID,
    amount: amountOf(i),
    payee: '重庆某建设工程有限公司',
    voucher: `国库支付凭证 ${200000 + i}`,
    paidOn: LEDGER_DATES.paid,
    fiscalYear: FISCAL_YEAR,
  };
}

export function batchBody(batchId: string) {
  return {
    batchId,
    source: 'central_fiscal_subsidy',
    docNo: `渝财建〔2021〕${batchId}号`,
    fiscalYear: FISCAL_YEAR,
    amount: '900000000.00',
    issuedOn: LEDGER_DATES.issued,
  };
}

export function allocationBody(allocationId: string, projectId: string, i: number) {
  return { allocationId, projectId, amount: amountOf(i), allocatedOn: LEDGER_DATES.allocated };
}

/** Gives back 1.00 of an allocation (every allocation is at least 100.00, and nothing draws on it). */
export function allocationReversalBody(reversalId: string, allocationId: string) {
  return { reversalId, allocationId, amount: '1.00', reason: '调整指标', reversedOn: LEDGER_DATES.allocated };
}

/** What a project's opening receipt holds: more than every payment the suite sends can spend. */
export const OPENING_RECEIPT_AMOUNT = '10000000.00';
