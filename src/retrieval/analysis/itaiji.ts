/**
 * 旧字体・異体字 → 新字体 (區→区, 條→条, 國→国, 邊→辺, 髙→高, 﨑→崎): one character for one, so offsets keep.
 * Applied to documents and queries alike (normalizeText), so a query typed in either form finds the other —
 * 第十二條 is 第12条, 特別區 is 特別区. NFKC does not do this: these are distinct characters, not compatibility
 * forms. The pairs are the 常用漢字表's 旧字体 (the characters in parentheses) and the commonest variants in
 * names; the CJK compatibility ideographs that NFKC already maps are left out.
 */
const PAIRS = [
  '亞亜 惡悪 壓圧 圍囲 爲為 醫医 壹壱 稻稲 飮飲 隱隠 營営 榮栄 衞衛 驛駅 圓円 艷艶 鹽塩 奧奥 應応 歐欧',
  '毆殴 櫻桜 假仮 價価 畫画 會会 囘回 壞壊 懷懐 繪絵 擴拡 殼殻 覺覚 學学 嶽岳 樂楽 勸勧 卷巻 歡歓 罐缶',
  '觀観 關関 陷陥 巖巌 顏顔 歸帰 氣気 龜亀 僞偽 戲戯 犧犠 舊旧 據拠 擧挙 峽峡 挾挟 狹狭 曉暁 區区 驅駆',
  '勳勲 徑径 惠恵 溪渓 經経 繼継 莖茎 螢蛍 輕軽 鷄鶏 藝芸 缺欠 儉倹 劍剣 圈圏 檢検 權権 獻献 縣県 險険',
  '顯顕 驗験 嚴厳 效効 廣広 恆恒 鑛鉱 號号 國国 濟済 碎砕 齋斎 劑剤 雜雑 參参 慘惨 棧桟 蠶蚕 贊賛 殘残',
  '絲糸 齒歯 兒児 辭辞 濕湿 實実 舍舎 寫写 釋釈 壽寿 收収 從従 澁渋 獸獣 縱縦 肅粛 處処 緖緒 敍叙 將将',
  '稱称 燒焼 證証 奬奨 條条 狀状 乘乗 淨浄 剩剰 疊畳 孃嬢 讓譲 釀醸 觸触 囑嘱 愼慎 眞真 寢寝 盡尽 圖図',
  '粹粋 醉酔 隨随 髓髄 數数 樞枢 聲声 靜静 齊斉 攝摂 竊窃 專専 戰戦 淺浅 潛潜 纖繊 錢銭 禪禅 雙双 壯壮',
  '搜捜 插挿 爭争 總総 聰聡 莊荘 裝装 騷騒 藏蔵 臟臓 屬属 續続 墮堕 體体 對対 帶帯 滯滞 臺台 瀧滝 擇択',
  '澤沢 單単 擔担 膽胆 團団 彈弾 斷断 遲遅 晝昼 蟲虫 鑄鋳 廳庁 聽聴 敕勅 鎭鎮 遞逓 鐵鉄 轉転 點点 傳伝',
  '黨党 盜盗 燈灯 當当 鬪闘 德徳 獨独 讀読 屆届 貳弐 惱悩 腦脳 霸覇 廢廃 拜拝 賣売 麥麦 發発 髮髪 拔抜',
  '蠻蛮 祕秘 濱浜 拂払 佛仏 竝並 變変 邊辺 邉辺 辨弁 瓣弁 辯弁 舖舗 步歩 寶宝 豐豊 沒没 飜翻 每毎 萬万',
  '滿満 默黙 彌弥 譯訳 藥薬 與与 豫予 餘余 譽誉 搖揺 樣様 謠謡 來来 賴頼 亂乱 覽覧 龍竜 兩両 獵猟 綠緑',
  '壘塁 淚涙 勵励 禮礼 隸隷 靈霊 齡齢 戀恋 爐炉 勞労 樓楼 錄録 灣湾 髙高 﨑崎 嵜崎 冨富 黑黒 凉涼 郞郎',
  '卽即 巢巣',
].join(' ');

const TO_NEW = new Map<string, string>(PAIRS.split(' ').filter(Boolean).map((p) => [p[0]!, p[1]!]));
const OLD_CHARS = new RegExp(`[${[...TO_NEW.keys()].join('')}]`, 'gu');

/** The text with 旧字体 replaced by 新字体 (same length). */
export function toShinjitai(text: string): string {
  return text.replace(OLD_CHARS, (ch) => TO_NEW.get(ch) ?? ch);
}
