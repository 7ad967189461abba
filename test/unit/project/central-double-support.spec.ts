import {
  approvedProject,
  budgeted,
  disburse,
  given,
  pledge,
  pledged,
  receive,
  received,
  reversed,
} from '../../support/project-fixtures';

describe('central-double-support', () => {
  // "central_budget_investment: not on the same line as central_fiscal_subsidy" (product.md);
  // "The same item must not also receive central_fiscal_subsidy (no 重复支持)" (domain.md §1, RF-13).
  const budgetInvestmentOnRoof = pledged({ pledgeId: 'P-CBI', source: 'central_budget_investment', lineId: 'B1-roof' });

  it('refuses a fiscal-subsidy pledge on a line the budget investment supports (field lineId)', () => {
    given(...budgeted(), budgetInvestmentOnRoof)
      .when(pledge({ source: 'central_fiscal_subsidy', lineId: 'B1-roof' }))
      .thenThrows('central-double-support', 'lineId');
  });

  it('refuses it the other way round, and for a receipt', () => {
    given(...budgeted(), received({ source: 'central_fiscal_subsidy', lineId: 'B1-roof' }))
      .when(receive({ receiptId: 'R2', source: 'central_budget_investment', lineId: 'B1-roof' }))
      .thenThrows('central-double-support', 'lineId');
  });

  it('refuses paying the other central channel to the line', () => {
    given(...approvedProject(), budgetInvestmentOnRoof, received({ source: 'central_fiscal_subsidy' }))
      .when(disburse({ source: 'central_fiscal_subsidy', lineId: 'B1-roof' }))
      .thenThrows('central-double-support', 'lineId');
  });

  it('takes the two central channels on different lines', () => {
    given(...budgeted(), budgetInvestmentOnRoof)
      .when(pledge({ source: 'central_fiscal_subsidy', lineId: 'B2-drainage' }))
      .then(pledged({ source: 'central_fiscal_subsidy', lineId: 'B2-drainage' }));
  });

  it('still refuses while the other channel is only partly reversed', () => {
    given(
      ...budgeted(),
      budgetInvestmentOnRoof,
      reversed({
        entryId: 'P-CBI',
        entryKind: 'pledge',
        source: 'central_budget_investment',
        lineId: 'B1-roof',
        amount: '40.00',
        full: false,
      }),
    )
      .when(pledge({ source: 'central_fiscal_subsidy', lineId: 'B1-roof' }))
      .thenThrows('central-double-support');
  });

  // A correction is a reversing entry (style.md): once the wrong channel is fully reversed it no
  // longer supports the line, and the right channel may be booked there.
  it('takes the other channel once the first is fully reversed', () => {
    given(
      ...budgeted(),
      budgetInvestmentOnRoof,
      reversed({
        entryId: 'P-CBI',
        entryKind: 'pledge',
        source: 'central_budget_investment',
        lineId: 'B1-roof',
        amount: '100.00',
      }),
    )
      .when(pledge({ source: 'central_fiscal_subsidy', lineId: 'B1-roof' }))
      .then(pledged({ source: 'central_fiscal_subsidy', lineId: 'B1-roof' }));
  });
});
