/**
 * The official rest days of 2020-2026: each year's 国务院办公厅 notice on that year's holidays
 * (部分节假日安排的通知), as the notice words it: the holiday periods (放假, 放假调休) and the
 * Saturdays and Sundays that are working days (调休上班). A weekend day inside a period is a rest
 * day anyway; a weekend day the notice names as a working day is not.
 *
 * Checked (with the `search` tool, December 2026) against reprints of the published notices, each
 * with the full text and its 文号: 2020 (kaixinit.com, gansulong.com, with the extension notice
 * 国办发明电〔2020〕1号), 2021 (cncaprc.cn, which names 中国政府网 as its source), 2022
 * (beijing.gov.cn, the Beijing government's copy, with its 文号), 2023 (zh.wikisource.org, from
 * the 国务院公报 2023 No. 1; mee.gov.cn), 2024 (zh.wikisource.org, from the 国务院公报 2023
 * No. 31; 人民日报 2023-10-26), 2025 (gmw.cn, the Xinhua text), 2026 (gmw.cn, the Xinhua text of
 * 2025-11-04). Not checked on gov.cn itself, which the search corpus does not hold; the 2026
 * notice's 文号 comes from secondary copies only (the Xinhua text omits it).
 */

/** A holiday period of a notice: its name and its first and last day off, inclusive. */
export interface HolidayPeriod {
  name: string;
  from: string;
  to: string;
}

/** A year's exceptions to the weekend rule, from the 国务院办公厅 notice on that year's holidays. */
export interface RestDayNotice {
  year: number;
  /** The notice, e.g. 国办发明电〔2021〕11号 (and any notice that changed it). */
  notice: string;
  /** The periods off, as the notice lists them (放假 / 放假调休). */
  periods: readonly HolidayPeriod[];
  /** Saturdays and Sundays that are working days (调休上班). */
  workingWeekends: readonly string[];
  /** What a reader of the data should know beyond the dates. */
  note?: string;
}

export const REST_DAY_NOTICES: readonly RestDayNotice[] = [
  {
    year: 2020,
    notice: '国办发明电〔2019〕16号; 国办发明电〔2020〕1号',
    periods: [
      { name: '元旦', from: '2020-01-01', to: '2020-01-01' },
      // 16号 set 1月24日至30日 with 2月1日 (Saturday) a working day; 〔2020〕1号 extended the
      // holiday to 2月2日 ("延长2020年春节假期至2月2日…2月3日（星期一）起正常上班"), so 2月1日 was
      // no longer worked.
      { name: '春节', from: '2020-01-24', to: '2020-02-02' },
      { name: '清明节', from: '2020-04-04', to: '2020-04-06' },
      { name: '劳动节', from: '2020-05-01', to: '2020-05-05' },
      { name: '端午节', from: '2020-06-25', to: '2020-06-27' },
      { name: '国庆节、中秋节', from: '2020-10-01', to: '2020-10-08' },
    ],
    workingWeekends: ['2020-01-19', '2020-04-26', '2020-05-09', '2020-06-28', '2020-09-27', '2020-10-10'],
    note: 'the Spring Festival as extended by 国办发明电〔2020〕1号 (COVID-19): 2020-02-01 is a rest day, not the working Saturday 16号 had set',
  },
  {
    year: 2021,
    notice: '国办发明电〔2020〕27号',
    periods: [
      { name: '元旦', from: '2021-01-01', to: '2021-01-03' },
      { name: '春节', from: '2021-02-11', to: '2021-02-17' },
      { name: '清明节', from: '2021-04-03', to: '2021-04-05' },
      { name: '劳动节', from: '2021-05-01', to: '2021-05-05' },
      { name: '端午节', from: '2021-06-12', to: '2021-06-14' },
      { name: '中秋节', from: '2021-09-19', to: '2021-09-21' },
      { name: '国庆节', from: '2021-10-01', to: '2021-10-07' },
    ],
    workingWeekends: ['2021-02-07', '2021-02-20', '2021-04-25', '2021-05-08', '2021-09-18', '2021-09-26', '2021-10-09'],
  },
  {
    year: 2022,
    notice: '国办发明电〔2021〕11号',
    periods: [
      { name: '元旦', from: '2022-01-01', to: '2022-01-03' },
      { name: '春节', from: '2022-01-31', to: '2022-02-06' },
      { name: '清明节', from: '2022-04-03', to: '2022-04-05' },
      { name: '劳动节', from: '2022-04-30', to: '2022-05-04' },
      { name: '端午节', from: '2022-06-03', to: '2022-06-05' },
      { name: '中秋节', from: '2022-09-10', to: '2022-09-12' },
      { name: '国庆节', from: '2022-10-01', to: '2022-10-07' },
    ],
    workingWeekends: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
  },
  {
    year: 2023,
    notice: '国办发明电〔2022〕16号',
    periods: [
      // "2022年12月31日至2023年1月2日放假调休": its first day is a Saturday of 2022, off anyway.
      { name: '元旦', from: '2022-12-31', to: '2023-01-02' },
      { name: '春节', from: '2023-01-21', to: '2023-01-27' },
      { name: '清明节', from: '2023-04-05', to: '2023-04-05' },
      { name: '劳动节', from: '2023-04-29', to: '2023-05-03' },
      { name: '端午节', from: '2023-06-22', to: '2023-06-24' },
      { name: '中秋节、国庆节', from: '2023-09-29', to: '2023-10-06' },
    ],
    workingWeekends: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  {
    year: 2024,
    notice: '国办发明电〔2023〕7号',
    periods: [
      { name: '元旦', from: '2024-01-01', to: '2024-01-01' },
      { name: '春节', from: '2024-02-10', to: '2024-02-17' },
      { name: '清明节', from: '2024-04-04', to: '2024-04-06' },
      { name: '劳动节', from: '2024-05-01', to: '2024-05-05' },
      { name: '端午节', from: '2024-06-10', to: '2024-06-10' },
      { name: '中秋节', from: '2024-09-15', to: '2024-09-17' },
      { name: '国庆节', from: '2024-10-01', to: '2024-10-07' },
    ],
    workingWeekends: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
    note: '除夕 (2024-02-09, a Friday) is a working day: the notice only "鼓励各单位…安排职工在除夕休息"',
  },
  {
    year: 2025,
    notice: '国办发明电〔2024〕12号',
    periods: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01' },
      { name: '春节', from: '2025-01-28', to: '2025-02-04' },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06' },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05' },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02' },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08' },
    ],
    workingWeekends: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    notice: '国办发明电〔2025〕7号',
    periods: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
      { name: '春节', from: '2026-02-15', to: '2026-02-23' },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
    ],
    workingWeekends: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
