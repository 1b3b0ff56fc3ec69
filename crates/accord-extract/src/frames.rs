//! Event frames: whether a trigger word, read in its clause, states something
//! that happened. A trigger after a cue of future, modality, plan, wish,
//! possibility or negation ("will sign", "планирует открыть", "将签署") states
//! no event; a visit named after "during" is only the setting of something
//! else when no institution follows it; an establishment participle that
//! opens its sentence ("Founded in 1990, the clinic …") is background; a
//! delegation noun beside a cue of composition ("the delegation included")
//! says who came, not that a visit happened.
//! The cues are data (`data/frames.tsv`), per language.

use crate::lexicon::PhraseHit;
use crate::resources::{FrameCue, FrameCueKind, Resources, Trigger, TriggerRole};
use crate::text::{is_cjk, Sentence, Text, TokenKind};
use accord_model::{EventType, Span};

/// Tokens a cue may stand before the trigger it governs.
const SCOPE: usize = 10;
/// The same for Chinese, where every character is a token.
const SCOPE_CJK: usize = 30;
/// Tokens a "during" may stand before the visit it makes a setting.
const SETTING_SCOPE: usize = 4;
/// Tokens between a delegation noun and a cue of its composition.
const COMPOSITION_SCOPE: usize = 4;

/// What a frame check needs to know about the document.
pub struct FrameContext<'a> {
    /// The text.
    pub text: &'a Text,
    /// The document's language.
    pub lang: &'a str,
    /// Whether a span lies inside an institution's name.
    pub in_name: &'a dyn Fn(Span) -> bool,
}

/// True when the trigger at `span` states an event that happened: no
/// irrealis cue governs it, it is not a visit that is only a setting, and it
/// is not a background participle.
/// `sentence_cues` are the frame cues of the sentence, found once for all its triggers.
pub fn states_event(
    ctx: &FrameContext,
    res: &Resources,
    s: &Sentence,
    sentence_cues: &[PhraseHit<'_, Vec<FrameCue>>],
    span: Span,
    trigger: &Trigger,
) -> bool {
    let cues: Vec<(Span, &FrameCue)> = sentence_cues
        .iter()
        .filter(|h| h.span.end <= span.start)
        .flat_map(|h| h.value.iter().map(move |c| (h.span, c)))
        .collect();
    let t = trigger.event_type;
    let governs = |c: &FrameCue, kind: FrameCueKind| c.kind == kind && c.lang == ctx.lang && c.applies_to(t);
    let irrealis = cues
        .iter()
        .any(|(at, c)| governs(c, FrameCueKind::Irrealis) && in_scope(ctx.text, s, *at, span, scope_of(ctx.text, span)));
    if irrealis || suffix_cue(ctx, res, s, span, t) {
        return false;
    }
    let setting = cues
        .iter()
        .any(|(at, c)| governs(c, FrameCueKind::Setting) && in_scope(ctx.text, s, *at, span, SETTING_SCOPE));
    if setting && !institution_follows(ctx, s, span) || composition(ctx, sentence_cues, span, trigger) {
        return false;
    }
    !(t == EventType::Establishment && trigger.role == TriggerRole::Verb && opens_background(ctx.text, s, span))
}

/// "The delegation included …", "В состав делегации вошли …": a cue of
/// composition a few tokens from a visit phrase on either side.
fn composition(ctx: &FrameContext, sentence_cues: &[PhraseHit<'_, Vec<FrameCue>>], span: Span, trigger: &Trigger) -> bool {
    if trigger.event_type != EventType::Visit || trigger.role != TriggerRole::Phrase {
        return false;
    }
    let at = ctx.text.token_at_or_after(span.start);
    sentence_cues.iter().any(|h| {
        let is_cue = h.value.iter().any(|c| c.kind == FrameCueKind::Composition && c.lang == ctx.lang);
        let (from, to) = (ctx.text.token_at_or_after(h.span.start), ctx.text.token_at_or_after(h.span.end));
        is_cue && (at.abs_diff(to) <= COMPOSITION_SCOPE || at.abs_diff(from) <= COMPOSITION_SCOPE + 1)
    })
}

fn scope_of(text: &Text, span: Span) -> usize {
    if is_cjk(text.chars[span.start]) {
        SCOPE_CJK
    } else {
        SCOPE
    }
}

/// The cue ends before the trigger, at most `scope` tokens before it, with no
/// clause boundary between (a comma only outside Chinese, where one future
/// marker governs a list of clauses).
fn in_scope(text: &Text, s: &Sentence, cue: Span, trigger: Span, scope: usize) -> bool {
    let from = text.token_at_or_after(cue.end);
    let to = text.token_at_or_after(trigger.start).min(s.end_token);
    if from > to || to - from > scope {
        return false;
    }
    let cjk = is_cjk(text.chars[trigger.start]);
    (from..to).all(|k| {
        let tok = text.tokens[k];
        if tok.kind != TokenKind::Punct {
            return true;
        }
        let c = text.chars[tok.span.start];
        !(matches!(c, ';' | ':' | '(' | ')') || (c == ',' && !cjk))
    })
}

/// A future or conditional verb form before the trigger in its clause
/// ("firmará", "signera").
fn suffix_cue(ctx: &FrameContext, res: &Resources, s: &Sentence, span: Span, t: EventType) -> bool {
    let Some(suffixes) = res.frame_suffixes.get(ctx.lang) else {
        return false;
    };
    let to = ctx.text.token_at_or_after(span.start).min(s.end_token);
    let from = to.saturating_sub(SCOPE).max(s.first_token);
    (from..to).rev().take_while(|&k| !ctx.text.is_punct(k, ',')).any(|k| {
        let tok = ctx.text.tokens[k];
        let w = ctx.text.slice(tok.span);
        tok.kind == TokenKind::Word
            && w.chars().count() >= 6
            && w.chars().all(|c| !c.is_uppercase())
            && suffixes.iter().any(|x| x.applies_to(t) && w.ends_with(x.form.as_str()))
    })
}

/// An institution named after the trigger, before the clause ends.
fn institution_follows(ctx: &FrameContext, s: &Sentence, span: Span) -> bool {
    let text = ctx.text;
    let from = text.token_at_or_after(span.end);
    (from..s.end_token)
        .take_while(|&k| !text.is_punct(k, ',') && !text.is_punct(k, ';'))
        .any(|k| (ctx.in_name)(text.tokens[k].span))
}

/// "Founded in 1990, …": the trigger is the sentence's first word and a comma
/// follows within a few tokens.
fn opens_background(text: &Text, s: &Sentence, span: Span) -> bool {
    let k = text.token_at_or_after(span.start);
    k == s.first_token && (k + 1..(k + 6).min(s.end_token)).any(|j| text.is_punct(j, ','))
}

#[cfg(test)]
mod tests {
    use crate::events::find_event_mentions;
    use crate::resources::Resources;
    use crate::text::Text;
    use accord_model::{EventType, Span};

    fn types_with(s: &str, lang: &str, name: Option<&str>) -> Vec<EventType> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        let name_span = name.map(|n| {
            let start = s[..s.find(n).unwrap()].chars().count();
            Span::new(start, start + n.chars().count())
        });
        let in_name = |sp: Span| name_span.is_some_and(|n| n.contains(&sp));
        find_event_mentions(&t, res, lang, &|_| false, &in_name)
            .into_iter()
            .map(|e| e.event_type)
            .collect()
    }

    fn types(s: &str, lang: &str) -> Vec<EventType> {
        types_with(s, lang, None)
    }

    #[test]
    fn future_and_plans_state_no_event_in_any_language() {
        assert!(types("The two clinics will sign a memorandum next spring.", "en").is_empty());
        assert!(types("The institute plans to open a joint laboratory.", "en").is_empty());
        assert!(types("Клиники планируют подписать соглашение о сотрудничестве.", "ru").is_empty());
        assert!(types("双方将于明年签署合作协议。", "zh").is_empty());
        assert!(types("Les deux hôpitaux signeront une convention en juin.", "fr").is_empty());
        assert!(types("El hospital firmará un convenio con la universidad.", "es").is_empty());
        assert!(types("Die Kliniken wollen eine Kooperationsvereinbarung unterzeichnen.", "de").is_empty());
    }

    #[test]
    fn a_cue_governs_only_its_own_clause() {
        assert_eq!(
            types(
                "The hospital, which will grow next year, signed an agreement with the college.",
                "en"
            ),
            [EventType::Agreement]
        );
        assert_eq!(
            types("Больница подписала соглашение, которое будет действовать пять лет.", "ru"),
            [EventType::Agreement]
        );
    }

    #[test]
    fn negation_and_wishes_state_no_event() {
        assert!(types("The partners have not signed an agreement.", "en").is_empty());
        assert!(types("The dean expressed interest in visiting the clinic.", "en").is_empty());
        assert_eq!(types("They not only signed an agreement but also toured the ward.", "en").len(), 2);
    }

    #[test]
    fn a_visit_to_a_country_during_which_something_else_happened_is_a_setting() {
        assert!(types("The statement was issued during the minister's visit to Peru.", "en").is_empty());
        assert_eq!(
            types_with(
                "During the visit to Lakeside General Hospital, the guests met nurses.",
                "en",
                Some("Lakeside General Hospital")
            ),
            [EventType::Visit]
        );
    }

    #[test]
    fn an_opening_participle_is_background() {
        assert_eq!(
            types("The clinic was founded in 1990 as a research centre.", "en"),
            [EventType::Establishment]
        );
        assert!(types("Founded in 1990, the clinic treats children at its centre.", "en").is_empty());
    }

    #[test]
    fn a_delegation_described_by_its_members_is_no_visit() {
        assert!(types("The delegation included two surgeons and a nurse.", "en").is_empty());
        assert!(types("В состав делегации вошли два хирурга.", "ru").is_empty());
        assert!(types("La délégation était conduite par le directeur.", "fr").is_empty());
        assert!(types("La delegación estuvo integrada por dos cirujanos.", "es").is_empty());
        assert_eq!(
            types(
                "The delegation, which included the dean of the medical faculty, visited the clinic.",
                "en"
            ),
            [EventType::Visit]
        );
    }

    #[test]
    fn a_verb_of_several_words_keeps_the_readings_of_its_verbs() {
        assert_eq!(types("El 10 de enero se realizó un curso de cirugía.", "es"), [EventType::Training]);
        assert_eq!(
            types("Del 10 al 15 de enero se realizó un curso de cirugía.", "es"),
            [EventType::Training]
        );
    }
}
