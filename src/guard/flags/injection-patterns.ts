/** Instructions aimed at the AI, not at people. Each pattern is named so a reviewer sees why. */
export interface InjectionPattern {
  id: string;
  reason: string;
  re: RegExp;
  score: number;
}

const AI = '(?:AI|ＡＩ|人工知能|アシスタント|チャットボット|言語モデル|LLM|GPT|ChatGPT|Claude|Gemini|bot|ボット|モデル)';
const RULES = '(?:指示|命令|指令|設定|ルール|制約|制限|プロンプト|ガイドライン|方針|規則|インストラクション)';
const DATA = '(?:会話|履歴|チャット|やり取り|プロンプト|システムプロンプト|APIキー|API ?key|認証情報|パスワード|トークン|機密|ユーザー(?:の)?(?:情報|データ)|個人情報|入力内容|文書の内容|回答内容)';

export const INJECTION_PATTERNS: InjectionPattern[] = [
  { id: 'ja_ignore_rules', reason: 'これまでの指示を無視させる指示', score: 0.95,
    re: new RegExp(`(?:これまで|今まで|以前|前|上記|上|先ほど|既存|最初|元|全て|すべて)の(?:すべての|全ての|全部の)?${RULES}(?:は|を)?(?:すべて|全て|全部|一切)?(?:無視|忘れ|破棄|リセット|取り消|撤回|上書き)(?!しない|せず|しないで)`) },
  { id: 'ja_override', reason: '制約の解除・回避を求める指示', score: 0.85,
    re: new RegExp(`${RULES}(?:や\\S{1,6})?を(?:無視|解除|無効に|無効化|回避|忘れ|破っ)(?:して|しろ|せよ|すること|してください|しなさい|する)(?!ない)`) },
  { id: 'ja_reveal_system_prompt', reason: 'システムプロンプトの開示要求', score: 0.95,
    re: /(?:システムプロンプト|初期プロンプト|隠された(?:指示|プロンプト)|事前(?:の|に与えられた)(?:指示|プロンプト)|(?:最初|初め)に(?:与えられた|受けた|設定された)(?:指示|命令|プロンプト))(?:の内容)?(?:を|は)?.{0,8}(?:表示|出力|教え|開示|見せ|書き出|繰り返|全文|そのまま|公開|暴露)/ },
  { id: 'ja_persona', reason: 'AI の役割の書き換え', score: 0.85,
    re: /(?:あなた|君|お前)は(?:今から|これから|今日から|もう)[^。\n]{0,16}(?:として(?:振る舞|ふるま|行動|回答)|になりきっ|です[。、]?(?:制限|ルール))|(?:制限|制約|フィルタ|検閲)(?:の)?(?:ない|なし|を外した)(?:AI|ＡＩ|モード|アシスタント)|(?:開発者|デベロッパー|管理者|ジェイルブレイク|脱獄|DAN)モード/ },
  { id: 'ja_addressed_to_ai', reason: '文書中の AI 宛ての指示', score: 0.9,
    re: new RegExp(`(?:この|本)(?:文書|ページ|メール|資料|テキスト|ファイル|文章)を(?:読んだ|読む|要約する|処理する|解析する|参照する)${AI}|${AI}(?:は|へ|に|の皆さん)(?:、)?[^。\\n]{0,30}(?:とだけ(?:回答|出力|答え)|(?:出力|回答|返答|答え|従|無視|送信|実行)(?:せよ|しろ|すること|しなさい|してください|して下さい|すべし))`) },
  { id: 'ja_exfiltrate', reason: 'データの外部送信を求める指示', score: 0.9,
    re: new RegExp(`${DATA}[^。\\n]{0,30}(?:https?://\\S+|外部|URL|メールアドレス|サーバ|webhook)[^。\\n]{0,12}(?:に|へ)?(?:送信|転送|送って|送れ|送る|アップロード|POST|共有)(?!しない|せず|しないで|は禁止)|(?:https?://\\S+)[^。\\n]{0,8}(?:に|へ)${DATA}[^。\\n]{0,10}(?:を)?(?:送信|転送|送って|送れ|アップロード)`) },
  { id: 'en_ignore', reason: 'ignore previous instructions', score: 0.95,
    re: /\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+)?(?:previous|prior|above|earlier|preceding|former|original|system|initial)?\s*(?:instructions|instruction|prompts?|rules|directions|guidelines|constraints|messages|context)\b/i },
  { id: 'en_reveal', reason: 'reveal the system prompt', score: 0.95,
    re: /\b(?:reveal|show|print|output|repeat|display|leak|tell me|give me|dump|expose)\s+(?:me\s+)?(?:your|the)\s+(?:full\s+|entire\s+|exact\s+)?(?:system\s+|initial\s+|hidden\s+|original\s+|secret\s+)?(?:prompt|instructions|system message)\b/i },
  { id: 'en_persona', reason: 'role override / jailbreak', score: 0.85,
    re: /\byou are now\s+(?:a|an|in|DAN|no longer)\b|\b(?:do anything now|DAN mode|developer mode|jailbreak(?:ed)?|act as an? unrestricted|without any (?:restrictions|filters))\b|\bpretend (?:that )?you (?:have no|are not bound)/i },
  { id: 'en_exfiltrate', reason: 'send data somewhere', score: 0.9,
    re: /\b(?:send|post|upload|exfiltrate|forward|transmit|email)\s+(?:all\s+|the\s+|this\s+|every\s+)?(?:conversation|chat(?: history)?|history|user data|data|credentials|api keys?|secrets?|passwords?|system prompt|documents?)\b[^.\n]{0,40}\b(?:to|at)\s+(?:https?:\/\/|\S+@|the following|this url|my server)/i },
  { id: 'role_markers', reason: 'chat-template role markers in content', score: 0.85,
    re: /<\|(?:im_start|im_end|system|endoftext)\|>|\[\/?(?:INST|SYS)\]|<<SYS>>|<\/?system>|^\s*(?:###\s*)?(?:system|SYSTEM)\s*(?:prompt)?\s*[:：]/m },
  { id: 'ja_new_instruction', reason: '新しい指示の差し込み', score: 0.8,
    re: /(?:新しい|新たな|本当の|真の|追加の|最優先の)(?:指示|命令|指令|タスク)(?:は|：|:|を与え)|以下の指示に(?:のみ)?(?:必ず)?従[えっう](?:て|こと)?.{0,6}(?:前の|これまでの|他の)/ },
];

/** Markdown images whose URL carries data out (![](https://x/?q={conversation})). */
export const MARKDOWN_EXFIL_RE = /!\[[^\]]*\]\(\s*https?:\/\/[^)\s]*\?[^)\s]*(?:\{|%7B|\$\{|<|=\s*\[|(?:data|q|prompt|secret|history|conversation|chat|text|msg)=)[^)]*\)/i;

/** Content people do not see but a model reads. */
export const HIDDEN_CHANNELS: { id: string; reason: string; re: RegExp }[] = [
  { id: 'html_comment', reason: 'HTMLコメント内', re: /<!--([\s\S]*?)-->/g },
  { id: 'markdown_comment', reason: 'Markdownコメント内', re: /^\[(?:\/\/|comment)\]:\s*#\s*[("](.*)[)"]\s*$/gm },
  { id: 'hidden_html', reason: '非表示要素内', re: /<(\w+)[^>]*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|color\s*:\s*(?:#fff(?:fff)?|white))[^>]*>([\s\S]*?)<\/\1>/gi },
];

/** Words that make hidden content look aimed at a model even without a full pattern. */
export const AI_DIRECTED = new RegExp(`${AI}|assistant|instruction|指示|命令|プロンプト|prompt|無視|ignore`, 'i');
