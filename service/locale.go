package service

import (
	"context"
	"fmt"

	"golang.org/x/text/language"
)

// Locale selects the language of messages shown to users.
type Locale int

// Chinese is the default; English when the request asks for it.
const (
	Chinese Locale = iota
	English
)

type localeKey struct{}

// WithLocale returns ctx whose user-facing messages are in l.
func WithLocale(ctx context.Context, l Locale) context.Context {
	return context.WithValue(ctx, localeKey{}, l)
}

// LocaleFromAcceptLanguage picks English when the header ranks English above Chinese (by q-value,
// as HTTP does), else Chinese.
func LocaleFromAcceptLanguage(h string) Locale {
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil {
		return Chinese
	}
	for _, t := range tags { // sorted by preference
		switch base, _ := t.Base(); base.String() {
		case "en":
			return English
		case "zh":
			return Chinese
		}
	}
	return Chinese
}

// LocaleOf is the language of ctx's user-facing text (Chinese unless WithLocale said otherwise).
func LocaleOf(ctx context.Context) Locale { return localeOf(ctx) }

func localeOf(ctx context.Context) Locale {
	l, _ := ctx.Value(localeKey{}).(Locale)
	return l
}

// Message renders catalog entry key in the caller's language: every sentence a user reads, the
// service's own and the HTTP edge's refusals alike. It panics on an unknown key, a programming
// error that every test run catches.
func Message(ctx context.Context, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		panic("service: no message " + key) // a programming error, caught by tests
	}
	return fmt.Sprintf(m[localeOf(ctx)], args...)
}

// label names an input field or object kind in the caller's language.
func label(ctx context.Context, name string) string {
	if localeOf(ctx) == English {
		return name
	}
	if l, ok := zhLabels[name]; ok {
		return l
	}
	return name
}

// messages holds each user-facing sentence as {Chinese, English}.
var messages = map[string][2]string{
	"internal":         {"服务器内部错误，请求编号 %s", "internal error, request id %s"},
	"unavailable":      {"数据库暂时不可用，操作未执行，请稍后重试（请求编号 %s）", "the database is unavailable for the moment and nothing was done; retry shortly (request id %s)"},
	"notFound":         {"%s %v 不存在", "%s %v not found"},
	"unauthenticated":  {"需要登录：%s", "authentication required: %s"},
	"authNoToken":      {"未提供令牌", "no bearer token"},
	"authBadHeader":    {"Authorization 头必须是 'Bearer <令牌>'", "authorization header is not 'Bearer <token>'"},
	"authExpired":      {"令牌已过期", "token expired"},
	"authBadSignature": {"令牌签名无效", "token signature invalid"},
	"authMalformed":    {"令牌格式无效", "token malformed or not valid"},
	"authBadClaims":    {"令牌声明无效：%s", "token claims invalid: %s"},
	"forbidden":        {"当前角色 %s 无权执行此操作", "role %s may not do this"},
	"unitGone":         {"令牌中的聘用单位 %d 不存在，不能以该单位的名义操作", "the unit %d your token acts for does not exist; nothing can be done in its name"},
	"noEnrollment":     {"学号 %s 没有学籍信息", "student number %s has no enrollment record"},
	"firstRange":       {"first 必须在 1 到 %d 之间，实际为 %d", "first must be between 1 and %d, got %d"},
	"badCursor":        {"after 不是有效的游标：%s", "after is not a valid cursor: %s"},

	"scalarID":             {"ID 必须是正整数，如 \"42\"，实际为 %v", "an ID must be a positive integer such as \"42\", got %v"},
	"scalarTime":           {"时间必须是带时区的 RFC 3339 格式，如 \"2026-09-01T08:00:00+08:00\"，实际为 %v", "a Time must be RFC 3339 with an offset such as \"2026-09-01T08:00:00+08:00\", got %v"},
	"scalarDate":           {"日期必须是真实存在的 YYYY-MM-DD，实际为 %v", "a Date must be a real calendar date YYYY-MM-DD, got %v"},
	"scalarTimeOffset":     {"时间的时区偏移必须在 -15:59 到 +15:59 之间，实际为 %s", "a Time's offset must be between -15:59 and +15:59, got %s"},
	"scalarTimeYear":       {"时间必须在 0001 年到 9999 年之间（按所写的时区、UTC 和北京时间都是），实际为 %s", "a Time must lie in the years 0001 to 9999 (as written, in UTC and in Beijing time), got %s"},
	"scalarDateYear":       {"日期的年份必须在 0001 到 9999 之间，实际为 %s", "a Date's year must be between 0001 and 9999, got %s"},
	"scalarMonthYear":      {"月份的年份必须在 0001 到 9999 之间，实际为 %s", "a Month's year must be between 0001 and 9999, got %s"},
	"scalarMonth":          {"月份必须是 YYYY-MM（月份 01 到 12），实际为 %v", "a Month must be YYYY-MM with month 01..12, got %v"},
	"scalarMoney":          {"金额必须是以元为单位、最多两位小数的字符串，如 \"2500.00\"，实际为 %v", "Money must be a string in yuan with at most two decimals such as \"2500.00\", got %v"},
	"scalarMoneyMax":       {"金额不能超过 %d 元，实际为 %v", "Money must be at most %d yuan, got %v"},
	"bodyTooLarge":         {"请求体最大 %d 字节，实际 %d 字节", "the request body may be at most %d bytes, got %d"},
	"bodyOverLimit":        {"请求体超过了 %d 字节的上限", "the request body is over the limit of %d bytes"},
	"bodyUnreadable":       {"请求体读取失败，请重试", "the request body could not be read; please retry"},
	"bodyNotJSON":          {"请求体必须是 JSON 对象 {\"query\", \"variables\", \"operationName\"}：%s", "the request body must be a JSON object {\"query\", \"variables\", \"operationName\"}: %s"},
	"incremental":          {"本服务不支持 @%s：每个响应都是一次完整返回的", "@%s is not supported: this server sends every response whole"},
	"badURLQuery":          {"URL 查询参数格式不正确", "the URL's query string is malformed"},
	"paramNotJSON":         {"URL 参数 %s 必须是 JSON：%s", "the URL parameter %s must be JSON: %s"},
	"notJSONMedia":         {"POST 请求体的 Content-Type 必须是 application/json，实际为 %s", "a POST body must have Content-Type application/json, got %s"},
	"methodNotAllowed":     {"/graphql 只接受 GET 和 POST，不接受 %s", "/graphql takes GET and POST only, not %s"},
	"getMutation":          {"GET 请求只能执行查询，变更请用 POST", "GET requests may only run queries; send mutations with POST"},
	"nulChar":              {"%s不能包含 NUL 字符（U+0000）", "%s must not contain the NUL character (U+0000)"},
	"invalidUTF8":          {"%s不是有效的 UTF-8 文本", "%s is not valid UTF-8 text"},
	"textLiteral":          {"第 %d 行第 %d 列的字符串", "the string at line %d, column %d"},
	"textVariable":         {"变量 %s ", "variable %s"},
	"textBody":             {"请求体第 %d 字节起", "the request body from byte %d on"},
	"textURLParam":         {"URL 参数 %s ", "the URL parameter %s"},
	"paramUnknown":         {"未知的查询参数 %s，可用的参数：%s", "unknown query parameter %s; the known ones are %s"},
	"paramRepeated":        {"查询参数 %s 只能出现一次", "the query parameter %s may appear only once"},
	"paramRequired":        {"缺少查询参数 %s", "the query parameter %s is required"},
	"paramInvalid":         {"查询参数 %s 无效：%s", "the query parameter %s is invalid: %s"},
	"reportTotal":          {"合计", "Total"},
	"payrollSubtotal":      {"小计", "Subtotal"},
	"paramEnum":            {"查询参数 %s 必须是 %s 之一，实际为 %s", "the query parameter %s must be one of %s, got %s"},
	"shuttingDown":         {"服务器正在停止，请重新连接后再试", "the server is shutting down; reconnect and try again"},
	"tokenExpired":         {"令牌已过期，请重新登录后再连接", "the token expired; sign in again and reconnect"},
	"subscriptionOverHTTP": {"订阅只能通过 /graphql 的 websocket（graphql-transport-ws）进行", "subscriptions are served over a websocket on /graphql (graphql-transport-ws)"},
	"oneStream":            {"订阅只能选择一个顶层字段（含别名），实际 %d 个", "a subscription selects exactly one top-level field (aliases count), got %d"},
	"required":             {"%s不能为空", "%s is required"},
	"maxChars":             {"%s最多 %s 个字符，实际 %d 个", "%s must be at most %s characters, got %d"},
	"minChars":             {"%s至少 %s 个字符，实际 %d 个", "%s must be at least %s characters, got %d"},
	"maxItems":             {"%s最多 %s 项，实际 %d 项", "%s must have at most %s item(s), got %d"},
	"minItems":             {"%s至少 %s 项，实际 %d 项", "%s must have at least %s item(s), got %d"},
	"maxNumber":            {"%s不能大于 %s，实际为 %v", "%s must be at most %s, got %v"},
	"minNumber":            {"%s不能小于 %s，实际为 %v", "%s must be at least %s, got %v"},
	"gtNumber":             {"%s必须大于 %s，实际为 %v", "%s must be greater than %s, got %v"},
	"email":                {"%s不是有效的邮箱地址：%s", "%s is not a valid email address: %s"},
	"hhmm":                 {"%s必须是 HH:MM 格式的时间（00:00 到 23:59），实际为 %s", "%s must be a time HH:MM between 00:00 and 23:59, got %s"},
	"yearName":             {"%s必须是 YYYY-YYYY 形式的相邻两年，如 2019-2020，实际为 %s", "%s must be two consecutive years YYYY-YYYY such as 2019-2020, got %s"},
	"phone":                {"%s必须是 7 到 20 位的电话号码（数字、空格、+、-），实际为 %s", "%s must be a phone number of 7 to 20 digits, spaces, + or -, got %s"},
	"studentNo":            {"%s必须是 4 到 20 位字母或数字，实际为 %s", "%s must be 4 to 20 letters or digits, got %s"},
	"duplicate":            {"%s重复：%s", "%s is repeated: %s"},
	"invalidValue":         {"%s的值无效：%s", "%s has an invalid value: %s"},
	"monthOrder":           {"fromMonth（%s）不能晚于 toMonth（%s）", "fromMonth (%s) must not be after toMonth (%s)"},

	"hoursPrecision":        {"%s最多保留两位小数，实际为 %v", "%s may have at most two decimal places, got %v"},
	"startBeforeEnd":        {"开始时间 %s 必须早于结束时间 %s", "start %s must be before end %s"},
	"slotOverlap":           {"%s %s-%s 与同一天的 %s-%s 重叠", "%s %s-%s overlaps %s-%s on the same day"},
	"dateOrder":             {"%s（%s）必须早于%s（%s）", "%s (%s) must be before %s (%s)"},
	"dateNotAfter":          {"%s（%s）不能晚于%s（%s）", "%s (%s) must not be after %s (%s)"},
	"overYearCap":           {"%s不能超过学年 %s 的每周上限 %d 小时，实际为 %d", "%s must not exceed academic year %s's weekly cap of %d hours, got %d"},
	"noSuchYear":            {"学年 %s 不存在", "academic year %s does not exist"},
	"noSuchUnit":            {"聘用单位 %v 不存在", "unit %v does not exist"},
	"unitNameTaken":         {"聘用单位名称 %s 已存在", "a unit named %s already exists"},
	"adminNeedsUnit":        {"管理员创建岗位时必须提供 unitId", "admin must give unitId when creating a position"},
	"unitIDNotYours":        {"只能为本单位创建岗位", "unit staff may only create positions for their own unit"},
	"badTransition":         {"岗位当前状态为 %s，不能%s", "the position is %s; cannot %s it"},
	"copiedFrom":            {"复制自岗位 %d", "copied from position %d"},
	"needsReview":           {"学年 %s 的岗位须经研究生院审核后发布：请提交审核（submitPosition）", "positions of academic year %s are published after the graduate school's review: submit it for review (submitPosition)"},
	"noReview":              {"学年 %s 的岗位无需审核，请直接发布（publishPosition）", "positions of academic year %s need no review: publish it (publishPosition)"},
	"tooManyRows":           {"一次最多导入 %d 条，实际 %d 条", "at most %d rows per import, got %d"},
	"noRows":                {"至少导入 1 条学籍信息", "import at least one enrollment record"},
	"duplicateRow":          {"学号 %s 与第 %d 行重复", "student number %s repeats row %d"},
	"windowClosed":          {"不在申请时间内（%s 至 %s），岗位状态：%s", "applications are taken from %s to %s only; the position is %s"},
	"noEmployment":          {"申请状态为 %s（%s），尚未确认应聘，不能记录工作", "the application is %[2]s (%[1]s), not an employment; work can only be recorded from CONFIRMED on"},
	"profileRequired":       {"请先填写 %s 学年的个人信息", "save your profile for academic year %s first"},
	"notEnrolled":           {"学籍状态不是在读，不能申请", "only enrolled students may apply"},
	"notFullTime":           {"只有全日制研究生可以申请", "only full-time students may apply"},
	"contactDiffers":        {"%s与学籍信息（%s）不一致，请及时更新学籍信息中的联系方式", "the %s differs from your enrollment record (%s); please update the record"},
	"alreadyApplied":        {"你已申请该岗位，且申请仍在进行中", "you already have a live application to this position"},
	"headcountFull":         {"岗位招聘人数为 %d，已聘用 %d 人，名额已满", "the headcount of %d is reached (%d hired)"},
	"weeklyCap":             {"与本岗位工作时间重叠的已确认岗位每周共 %d 小时，加上本岗位 %d 小时将超过学年 %s 的每周上限 %d 小时", "your confirmed employments overlapping this one take %d hours a week; with this one's %d that passes academic year %s's weekly cap of %d"},
	"employmentLimit":       {"学年 %s 每名学生最多同时担任 %d 个工作期间重叠的岗位，你已确认 %d 个：%s", "academic year %s allows at most %d employments with overlapping work periods at once; you hold %d: %s"},
	"monthlyCap":            {"%s 其他岗位已记录 %v 小时，加上 %v 小时将超过学年 %s 的每月上限 %v 小时", "in %s the student already has %v hours elsewhere; %v more passes academic year %s's monthly cap of %v"},
	"badAppTransition":      {"申请当前状态为%s（%s），不能%s", "the application is %[2]s (%[1]s); cannot %[3]s it"},
	"actorUnit":             {"聘用单位：%s", "Unit: %s"},
	"actorSchool":           {"研究生院", "Graduate School"},
	"monthClosed":           {"%s 月的工资已结算，不能再记录或修改工作记录；如需更正，请研究生院先重新开放该月", "the pay sheet of %s is closed: work records of it can no longer be written; the graduate school must reopen the month first"},
	"monthNotBegun":         {"月份 %s 尚未开始（本月为 %s），只能结算本月或之前的月份", "month %s has not begun (this month is %s); only this month or an earlier one can be closed"},
	"badPayMonthTransition": {"该月当前%s（%s），不能%s", "the month is %[2]s (%[1]s); cannot %[3]s it"},
	"monthOutside":          {"月份 %s 不在可记录范围 %s 至 %s 内（工作期间内、解聘前、不晚于本月）", "month %s is outside %s .. %s (the work period, before any dismissal, not in the future)"},

	// gqlparser's and gqlgen's verdicts on a document or its variables (httpapi's presenter
	// matches their English wording and says them with these).
	"gqlSyntax":               {"GraphQL 语法错误：%s", "GraphQL syntax error: %s"},
	"gqlExpected":             {"GraphQL 语法错误：此处应为 %s，实际为 %s", "GraphQL syntax error: expected %s, found %s"},
	"gqlUnexpected":           {"GraphQL 语法错误：此处不应出现 %s", "GraphQL syntax error: unexpected %s"},
	"gqlEOF":                  {"文档结尾", "the end of the document"},
	"gqlTokenLimit":           {"GraphQL 文档超过了 %s 个词法单元的上限", "the GraphQL document is over the limit of %s tokens"},
	"gqlNestingLimit":         {"GraphQL 文档的嵌套超过了 %s 层的上限", "the GraphQL document nests deeper than the limit of %s"},
	"gqlNoOperation":          {"请求中没有要执行的操作", "the request has no operation to run"},
	"gqlOperationUnnamed":     {"文档中有多个操作，请用 operationName 指明要执行的一个", "the document has several operations; name the one to run in operationName"},
	"gqlOperationNotFound":    {"文档中没有名为 \"%s\" 的操作", "the document has no operation named \"%s\""},
	"gqlUnknownField":         {"类型 \"%[2]s\" 上没有字段 \"%[1]s\"", "cannot query field \"%s\" on type \"%s\""},
	"gqlUnknownArgument":      {"字段 \"%[2]s\" 没有参数 \"%[1]s\"", "unknown argument \"%s\" on field \"%s\""},
	"gqlUnknownDirectiveArg":  {"指令 \"@%[2]s\" 没有参数 \"%[1]s\"", "unknown argument \"%s\" on directive \"@%s\""},
	"gqlMissingArgument":      {"字段 \"%s\" 的参数 \"%s\"（类型 %s）是必填的，但没有提供", "field \"%s\" argument \"%s\" of type %s is required but was not provided"},
	"gqlNeedsSelection":       {"字段 \"%s\" 的类型是 %s，必须选择其子字段", "field \"%s\" of type %s must have a selection of subfields"},
	"gqlNoSelection":          {"字段 \"%s\" 的类型 %s 没有子字段，不能有选择集", "field \"%s\" must not have a selection since type %s has no subfields"},
	"gqlWrongValue":           {"此处需要 %s 类型的值，实际为 %s", "expected a value of type %s, found %s"},
	"gqlIntRange":             {"Int 只能是 32 位有符号整数，实际为 %s", "an Int must be a 32-bit signed integer, found %s"},
	"gqlNotEnumValue":         {"枚举 %s 不能取非枚举值 %s", "enum %s cannot represent the non-enum value %s"},
	"gqlUnknownEnumValue":     {"枚举 %[2]s 没有取值 %[1]s", "value %s does not exist in enum %s"},
	"gqlMissingInputField":    {"输入字段 \"%s\"（类型 %s）是必填的，但没有提供", "input field \"%s\" of type %s is required but was not provided"},
	"gqlUnknownInputField":    {"输入类型 \"%[2]s\" 没有字段 \"%[1]s\"", "field \"%s\" is not defined by input type \"%s\""},
	"gqlVariablePosition":     {"变量 \"%s\" 的类型是 %s，此处需要 %s", "variable \"%s\" of type %s is used where %s is expected"},
	"gqlUndefinedVariable":    {"变量 \"%s\" 没有在操作中声明", "variable \"%s\" is not defined by the operation"},
	"gqlUndefinedVariableIn":  {"变量 \"%s\" 没有在操作 \"%s\" 中声明", "variable \"%s\" is not defined by operation \"%s\""},
	"gqlVariableMissing":      {"变量 %s 是必填的，但没有提供", "variable %s is required but was not provided"},
	"gqlVariableNull":         {"变量 %s 不能为 null", "variable %s must not be null"},
	"gqlVariableType":         {"变量 %s 必须是 %s 类型，实际为%s", "variable %s must be of type %s, got %s"},
	"gqlVariableEnum":         {"变量 %s 的值 %s 不是枚举 %s 的取值", "variable %s: %s is not a value of enum %s"},
	"gqlVariableUnknownField": {"变量 %s 不是其输入类型中定义的字段", "variable %s is not a field of its input type"},
	"costLimit":               {"操作的代价为 %d，超过了 %d 的上限（每个对象计 1，连接按 first 计其每一项）", "the operation costs %d, over the limit of %d (each object counts 1, a connection each of its first items)"},
	"timedOut":                {"请求超过了 %s 的时限：%d 个字段没有完成，值为 null", "the request ran past its time limit of %s: %d fields were not resolved and are null"},
	"fieldTimedOut":           {"请求已超时，此字段没有完成", "the request timed out before this field was resolved"},
	"introspectionOff":        {"此服务器已关闭内省：不能查询 __schema 和 __type", "introspection is off on this server: __schema and __type cannot be queried"},
	"gqlDidYouMean":           {"；你是否想用 %s？", "; did you mean %s?"},
	"gqlDidYouMeanFragment":   {"；你是否想在 %s 上使用内联片段？", "; did you mean to use an inline fragment on %s?"},
	"listSeparator":           {"、", ", "},
	"listOr":                  {"%s 或 %s", "%s or %s"},
	"jsonBoolean":             {"布尔值", "a boolean"},
	"jsonStringOrNumber":      {"字符串或数字", "a string or a number"},
	"jsonNumber":              {"数字", "a number"},
	"jsonObject":              {"对象", "an object"},
	"jsonArray":               {"数组", "an array"},

	// The document limits (package limits), checked on the parsed document before validation.
	"limitDepth":          {"字段 \"%s\" 嵌套在第 %d 层，超过了 %d 层的深度上限（内省字段不计）", "field \"%s\" is nested %d deep, over the depth limit of %d (introspection not counted)"},
	"limitAliases":        {"文档中有 %d 个别名，超过了 %d 个的上限", "the document has %d aliases, over the limit of %d"},
	"limitDuplicateField": {"\"%s\" 在同一个对象中被选择了 %d 次，超过了 %d 次的上限", "\"%s\" is selected %d times into one object, over the limit of %d"},
	"limitSpreads":        {"文档中有 %d 个片段展开，超过了 %d 个的上限", "the document has %d fragment spreads, over the limit of %d"},
	"limitSelections":     {"展开片段后，文档选择的字段至少有 %d 个，超过了 %d 个的上限", "the document selects at least %d fields once its fragments are expanded, over the limit of %d"},
	"limitDirectives":     {"\"%s\" 上有 %d 个指令，超过了 %d 个的上限", "\"%s\" has %d directives, over the limit of %d"},

	"nominationWindow":        {"学年 %s 的评优申请时间为 %s 至 %s，当前不在此时间内", "nominations for academic year %s are taken from %s to %s only"},
	"nominationHours":         {"学年 %s 已记录工作时长 %s 小时，未达到评优要求的 %s 小时", "you have %[2]s recorded work hours in academic year %[1]s; a nomination needs %[3]s"},
	"alreadyNominated":        {"你已提交学年 %s 的评优申请", "you have already nominated yourself for academic year %s"},
	"badNominationTransition": {"评优申请当前状态为%s（%s），不能%s", "the nomination is %[2]s (%[1]s); cannot %[3]s it"},

	// Automatic persisted queries and the GraphQL-over-HTTP request itself (httpapi).
	"noQuery":                {"请求没有 query：请发送 query，或在 extensions.persistedQuery 中发送此前发过的查询的 sha256Hash", "the request has no query: send query, or the sha256Hash of a query sent before in extensions.persistedQuery"},
	"persistedQueryShape":    {"extensions.persistedQuery 必须是对象 {\"version\": 1, \"sha256Hash\": \"<64 位十六进制>\"}，实际为 %s", "extensions.persistedQuery must be an object {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}, got %s"},
	"persistedQueryVersion":  {"extensions.persistedQuery.version 必须是 1，实际为 %s", "extensions.persistedQuery.version must be 1, got %s"},
	"persistedQueryHash":     {"extensions.persistedQuery.sha256Hash 必须是查询的 SHA-256（64 位十六进制），实际为 %s", "extensions.persistedQuery.sha256Hash must be the query's SHA-256 as 64 hex digits, got %s"},
	"persistedQueryMismatch": {"extensions.persistedQuery.sha256Hash %s 与所发送查询的 SHA-256（%s）不符", "extensions.persistedQuery.sha256Hash %s is not the SHA-256 of the query sent (%s)"},
}

// zhLabels are the Chinese names users know for input fields and object kinds.
var zhLabels = map[string]string{
	"academicYear": "学年", "position": "岗位", "unit": "聘用单位", "student": "学生", "profile": "个人信息",
	"name": "名称", "startDate": "开始日期", "endDate": "结束日期",
	"nominationOpensAt": "评优开放时间", "nominationClosesAt": "评优截止时间", "nominationMinHours": "评优最低工作时长",
	"maxWeeklyHours": "每周工作时长上限", "maxMonthlyHours": "每月工作时长上限",
	"studentNo": "学号", "phone": "联系电话", "email": "邮箱", "degree": "学位", "department": "院系",
	"specialties": "特长", "natures": "申请类型", "weeklyHours": "工作时长", "freeTime": "课余时间",
	"weekday": "星期", "start": "开始时间", "end": "结束时间",
	"title": "岗位名称", "description": "岗位描述", "nature": "岗位性质", "dutyCategory": "工作类别",
	"headcount": "招聘人数", "pay": "岗位津贴", "workTimeRequirement": "工作时间要求",
	"applyStart": "申请开始时间", "applyEnd": "申请结束时间", "workStart": "工作开始时间", "workEnd": "工作结束时间",
	"unitId": "聘用单位", "publish": "发布", "close": "关闭", "edit": "修改",
	"submit": "提交审核", "approve": "审核通过", "return": "退回",
	"MONDAY": "周一", "TUESDAY": "周二", "WEDNESDAY": "周三", "THURSDAY": "周四", "FRIDAY": "周五", "SATURDAY": "周六", "SUNDAY": "周日",
	"application": "申请", "note": "备注", "reason": "理由", "positionId": "岗位", "hours": "工时", "amount": "金额", "month": "月份",
	"WITHDRAW": "撤回", "HIRE": "聘用", "REJECT": "拒绝", "CONFIRM": "确认应聘", "DECLINE": "放弃", "DISMISS": "解聘",
	"DRAFT": "草稿", "PENDING_REVIEW": "待审核", "PUBLISHED": "已发布", "CLOSED": "已关闭",
	"nomination": "评优申请", "comment": "评审意见", "withdraw": "撤回", "review": "评审",
}
