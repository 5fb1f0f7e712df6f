/**
 * The default wording of every letter type, as templates the office may edit per campaign (a
 * new version each time; a letter records the version that made it). Handlebars syntax:
 * `{{unitName}}`, `{{#each items}}…{{/each}}`. The body is paragraphs separated by blank lines;
 * a paragraph starting "一、" is a first-level heading (黑体), "（一）" a second-level one (楷体).
 */
import type { LetterType } from './types';

export interface LetterTemplate {
  title: string;
  body: string;
}

const ITEMS = `{{#each items}}{{number}}. {{content}}（整改时限：{{deadline}}{{#if daysLate}}，已逾期{{daysLate}}天{{/if}}{{#if missing}}；尚缺：{{missing}}{{/if}}）

{{/each}}`;

// Listing counts dispatch periods ("调度中第1期、第2期") or, with a rating cadence, evaluations
// ("第1次、第2次考评中"; facts.ratedIn = '考评'). Facts without ratedIn render as they always did.
const RATED = `{{#if ratedIn}}{{poorPeriods}}{{ratedIn}}中{{else}}调度中{{poorPeriods}}{{/if}}`;
const TWICE = `{{#if ratedIn}}次{{ratedIn}}{{else}}期{{/if}}`;

export const DEFAULT_TEMPLATES: Record<LetterType, LetterTemplate> = {
  reminder_letter: {
    title: '关于{{campaignTitle}}有关整改事项的提醒函',
    body: `根据《{{campaignTitle}}》{{#if campaignDocNumber}}（{{campaignDocNumber}}）{{/if}}安排，你单位牵头负责的下列整改事项已到整改时限，尚未完成销号：

${ITEMS}请你单位对照整改要求，抓紧推进整改落实，于{{replyBy}}前将整改进展及佐证材料报送{{officeName}}。

特此函告。`,
  },
  urging_letter: {
    title: '关于加快推进{{campaignTitle}}逾期事项整改的催办函',
    body: `你单位牵头负责的下列整改事项已超过整改时限，经提醒后仍未完成销号：

${ITEMS}请你单位主要负责同志亲自过问，明确专人、倒排工期，于{{replyBy}}前完成整改并报送整改情况；确有客观原因不能按期完成的，书面说明原因及下一步措施。

特此函告。`,
  },
  supervision_letter: {
    title: '关于{{campaignTitle}}逾期未完成事项的督办函',
    body: `你单位牵头负责的下列整改事项逾期时间较长，经提醒、催办后仍未完成，现列入重点督办：

${ITEMS}一、请于{{replyBy}}前书面报送逾期原因、责任人和整改时间表。

二、{{officeName}}将进行跟踪督办，未按期完成的将在通报中点名，并视情况约谈单位主要负责同志。

特此函告。`,
  },
  bulletin: {
    title: '关于{{campaignTitle}}推进情况的通报（第{{seq}}期）',
    body: `现将{{periodText}}{{campaignTitle}}推进情况通报如下。

一、总体情况

截至{{asOf}}，共有整改任务{{totals.items}}项，已完成销号{{totals.closed}}项，完成率{{totals.completionRate}}%；逾期未完成{{totals.overdue}}项；未按期报送进展{{totals.notReported}}项次。

二、各单位评定情况

{{#each ranking}}{{rank}}. {{name}}：{{ratingLabel}}{{#if reasons}}（{{reasons}}）{{/if}}

{{/each}}{{#if evaluationText}}{{evaluationText}}

{{/if}}三、存在的问题

{{#if laggards}}{{laggards}}等单位评定为“差”，整改推进滞后。{{else}}本期无评定为“差”的单位。{{/if}}{{#if listed}}{{listed}}已被挂牌督办。{{/if}}

四、下步要求

各单位要对照问题清单逐项销号，按时报送整改进展。对连续两${TWICE}评定为“差”的单位，将予以挂牌督办并约谈主要负责同志。`,
  },
  // Two occasions: an item still open after the whole ladder (its facts have items), and a unit
  // rated 差 period after period (its facts have poorPeriods). Both kinds of facts carry both keys.
  // A listed unit with a contact department (联系部门) summons both heads (双约谈, seed 001).
  summons: {
    title: '关于约谈{{unitName}}{{#if contactUnitName}}和{{contactUnitName}}{{/if}}主要负责同志的通知',
    body: `{{#if items}}你单位牵头负责的下列整改事项逾期时间较长，经提醒、催办、督办后仍未完成：

${ITEMS}{{else}}{{unitName}}在《{{campaignTitle}}》${RATED}连续评定为“差”{{#if reasons}}（{{reasons}}）{{/if}}，整改推进严重滞后。{{/if}}经研究，决定{{#if contactUnitName}}对{{unitName}}主要负责同志和联系部门{{contactUnitName}}主要负责同志进行双约谈{{else}}约谈你单位主要负责同志{{/if}}。

一、约谈时间地点另行通知。

二、请{{#if contactUnitName}}两单位{{else}}你单位{{/if}}主要负责同志做好准备，就整改滞后原因、下一步措施和完成时限作出说明，并形成书面材料。

特此通知。`,
  },
  // Seed 000: "对涉及问题整改的16个相关部门，分别印发了整改工作提醒函" — at assignment, one per unit.
  assignment_letter: {
    title: '关于抓好{{campaignTitle}}整改落实的提醒函',
    body: `根据《{{campaignTitle}}》{{#if campaignDocNumber}}（{{campaignDocNumber}}）{{/if}}安排，现将涉及你单位的{{count}}项整改任务{{#if coCount}}（牵头{{leadCount}}项、配合{{coCount}}项）{{/if}}交办如下：

{{#each items}}{{number}}. {{content}}（{{#if ../coCount}}{{role}}；{{/if}}整改时限：{{deadline}}）

{{/each}}一、请你单位高度重视，主要负责同志亲自部署，逐项明确责任领导、责任人和完成时限，于{{replyBy}}前将签收情况和整改工作安排报送{{officeName}}。

二、请按要求定期报送整改进展，完成一项、销号一项，同步报送佐证材料；在整改时限前全面完成整改任务。

三、{{officeName}}将按整改时限跟踪督办，对逾期未完成的事项依次发送提醒函、催办函、督办函。

特此函告。`,
  },
  listed_supervision: {
    title: '关于对{{unitName}}实行挂牌督办的通知',
    body: `{{unitName}}在《{{campaignTitle}}》${RATED}连续评定为“差”{{#if reasons}}（{{reasons}}）{{/if}}。经研究，决定对你单位实行挂牌督办。

一、请你单位对照问题清单逐项制定整改措施，明确责任领导、责任人和完成时限，于{{replyBy}}前报送{{officeName}}。

二、挂牌督办期间，每周报送整改进展。连续两${TWICE}评定为“好”的，予以摘牌。

特此通知。`,
  },
};
