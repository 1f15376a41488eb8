/**
 * Question-type cues: what kind of expression answers a question (いくら → an amount, いつ → a date, …).
 * One table; each cue says how to recognise the question and how to recognise an answering sentence.
 */
export interface QuestionCue {
  id: 'amount' | 'date' | 'duration' | 'place' | 'person' | 'count' | 'definition';
  question: RegExp;
  answer: RegExp;
}

const NUM = '[0-9０-９〇一二三四五六七八九十百千万億]';

export const CUES: QuestionCue[] = [
  { id: 'amount', question: /いくら|幾ら|金額|費用|料金|手数料|何円|額は/, answer: new RegExp(`${NUM}+(円|万円|億円)|金額|額`) },
  { id: 'duration', question: /何日以内|何年以内|何か月|何ヶ月|何カ月|期間|何年間|何日間|どのくらい|どれくらい|いつまで/, answer: new RegExp(`${NUM}+(日|年|月|箇月|か月|ヶ月|週間|時間)(以内|以上|間|を経過)?|期間`) },
  { id: 'date', question: /いつ|何日|何月|何年|日付|期日|期限|時期|何時/, answer: new RegExp(`${NUM}+(年|月|日|時)|令和|平成|昭和|期日|期限|日から|日まで`) },
  { id: 'place', question: /どこ|何処|場所|どちら|所在/, answer: /所|場|都|道|府|県|市|町|村|区|館|庁|署|窓口|事務所/ },
  { id: 'person', question: /誰|だれ|何者|どなた/, answer: /者|長|大臣|人|委員会|機関|知事/ },
  { id: 'count', question: /いくつ|何人|何件|何個|何名|何回/, answer: new RegExp(`${NUM}+(人|件|個|名|回)`) },
  { id: 'definition', question: /とは(何|なに|どういう)|の定義|意味は/, answer: /という|をいう|とは|とする/ },
];

export function cuesFor(question: string): QuestionCue[] {
  const q = question.normalize('NFKC');
  return CUES.filter((c) => c.question.test(q));
}
