//! Events: sentences that state a cooperation event, found by trigger words
//! of each language (a phrase alone, or an action word with its object), and
//! the facts around them: counts of participants and the event's mode.

use crate::dates::DateMention;
use crate::frames::{states_event, FrameContext};
use crate::resources::{CountKey, Resources, Trigger, TriggerRole};
use crate::text::{is_cjk, Sentence, Text, TokenKind};
use accord_model::{EventType, Mode, Participants, Span};

/// A sentence that states an event of one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMention {
    /// What happened.
    pub event_type: EventType,
    /// Finer kind named by the trigger.
    pub subtype: Option<String>,
    /// Index of the sentence.
    pub sentence: usize,
    /// The trigger words.
    pub triggers: Vec<Span>,
}

/// Finds the event sentences of the text, in order. `in_name` tells whether
/// a span lies inside an institution's name: a noun there ("Centre" of
/// "Rosedale Cancer Centre opened a training course") triggers an event only
/// when no other event of the sentence is triggered by words of its own.
/// A trigger that its clause frames as future, wish, negation, setting or
/// background (`frames`) triggers nothing.
pub fn find_event_mentions(
    text: &Text,
    res: &Resources,
    lang: &str,
    skip: &dyn Fn(usize) -> bool,
    in_name: &dyn Fn(Span) -> bool,
) -> Vec<EventMention> {
    // One hit per trigger a form stands for: "opened" is a verb of several types.
    let hits: Vec<(Span, &Trigger)> = res
        .triggers
        .find(text)
        .into_iter()
        .flat_map(|h| h.value.iter().map(move |t| (h.span, t)))
        .collect();
    let ctx = FrameContext { text, lang, in_name };
    let mut out = Vec::new();
    let mut h = 0;
    for (si, s) in text.sentences.iter().enumerate() {
        while h < hits.len() && hits[h].0.start < s.span.start {
            h += 1;
        }
        let mut k = h;
        let mut in_sentence = Vec::new();
        let has_triggers = h < hits.len() && hits[h].0.end <= s.span.end;
        if skip(s.span.start) || !has_triggers {
            continue;
        }
        let cues = res.frame_cues.find_in(text, s.span);
        while k < hits.len() && hits[k].0.end <= s.span.end {
            let (span, trigger) = hits[k];
            if trigger.role == TriggerRole::Ignore || states_event(&ctx, res, s, &cues, span, trigger) {
                in_sentence.push(hits[k]);
            }
            k += 1;
        }
        if in_sentence.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        for t in EventType::ALL {
            let of_type: Vec<&(Span, &Trigger)> = in_sentence
                .iter()
                .filter(|(_, g)| g.event_type == t && g.role != TriggerRole::Ignore)
                .collect();
            let phrase = of_type.iter().any(|(_, g)| g.role == TriggerRole::Phrase);
            let verb = of_type.iter().any(|(_, g)| g.role == TriggerRole::Verb);
            let noun = of_type.iter().any(|(_, g)| g.role == TriggerRole::Noun);
            if phrase || (verb && noun) {
                let subtype = of_type.iter().find_map(|(_, g)| g.subtype.clone());
                let nouns_in_names_only = !phrase
                    && of_type
                        .iter()
                        .filter(|(_, g)| g.role == TriggerRole::Noun)
                        .all(|(span, _)| in_name(*span));
                found.push((
                    nouns_in_names_only,
                    EventMention {
                        event_type: t,
                        subtype,
                        sentence: si,
                        triggers: of_type.iter().map(|(span, _)| *span).collect(),
                    },
                ));
            }
        }
        let any_own_words = found.iter().any(|(names_only, _)| !names_only);
        out.extend(
            found
                .into_iter()
                .filter(|(names_only, _)| !(*names_only && any_own_words))
                .map(|(_, m)| m),
        );
    }
    out
}

/// Counts of people, institutions and countries the sentence gives, with
/// the span of the first count's noun ("12 doctors") when it has one.
pub fn find_participants(text: &Text, res: &Resources, sentence: &Sentence, dates: &[DateMention]) -> Option<(Participants, Option<Span>)> {
    let mut p = Participants::default();
    let mut first: Option<Span> = None;
    for hit in res.participant_nouns.find_in(text, sentence.span) {
        let Some(n) = number_before(text, res, hit.span.start, sentence, dates) else {
            continue;
        };
        let slot = match hit.value {
            CountKey::People => &mut p.people,
            CountKey::Institutions => &mut p.institutions,
            CountKey::Countries => &mut p.countries,
        };
        if slot.is_none() {
            *slot = Some(n);
            first.get_or_insert(hit.span);
        }
    }
    if p.people.is_none() {
        p.people = delegation_of(text, res, sentence);
    }
    (!p.is_empty()).then_some((p, first))
}

/// The number written at most four words before `pos`.
fn number_before(text: &Text, res: &Resources, pos: usize, sentence: &Sentence, dates: &[DateMention]) -> Option<u64> {
    let chars = &text.chars;
    if pos > 0 && is_cjk(chars[pos]) {
        let mut start = pos;
        while start > sentence.span.start && (chars[start - 1].is_ascii_digit() || "一二两兩三四五六七八九十百".contains(chars[start - 1]))
        {
            start -= 1;
        }
        let digits: String = chars[start..pos].iter().collect();
        return digits.parse().ok().or_else(|| res.number_words.get(&digits).copied());
    }
    let end = text.token_at_or_after(pos);
    let first = end.saturating_sub(5).max(sentence.first_token);
    for k in (first..end).rev() {
        let t = text.tokens[k];
        if dates.iter().any(|d| d.span.contains(&t.span)) {
            return None;
        }
        match t.kind {
            TokenKind::Number => {
                let n: u64 = text.tok(k).parse().ok()?;
                let thousands = k >= 2 && text.is_punct(k - 1, ',') && text.tokens[k - 2].kind == TokenKind::Number;
                return (!thousands && n > 0 && n < 100_000).then_some(n);
            }
            TokenKind::Word => {
                if let Some(n) = res.number_words.get(text.lower_slice(t.span)) {
                    return Some(*n);
                }
            }
            _ => return None,
        }
    }
    None
}

/// "a delegation of five": the size of a delegation.
fn delegation_of(text: &Text, res: &Resources, s: &Sentence) -> Option<u64> {
    for k in s.first_token..s.end_token.saturating_sub(2) {
        let w = text.lower_slice(text.tokens[k].span);
        if matches!(w, "delegation" | "délégation" | "delegación" | "delegation's") && text.lower_slice(text.tokens[k + 1].span) == "of"
        {
            let t = text.tokens[k + 2];
            return match t.kind {
                TokenKind::Number => text.tok(k + 2).parse().ok(),
                _ => res.number_words.get(text.lower_slice(t.span)).copied(),
            };
        }
    }
    None
}

/// The mode the span states, if any, with where it first says so.
pub fn find_mode(text: &Text, res: &Resources, span: Span) -> Option<(Mode, Span)> {
    let hits = res.modes.find_in(text, span);
    let first = hits.first()?.span;
    let online = hits.iter().any(|h| *h.value == Mode::Online);
    let offline = hits.iter().any(|h| *h.value == Mode::Offline);
    let mode = if hits.iter().any(|h| *h.value == Mode::Hybrid) || online && offline {
        Mode::Hybrid
    } else if online {
        Mode::Online
    } else {
        Mode::Offline
    };
    Some((mode, first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(s: &str) -> Vec<EventType> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_event_mentions(&t, res, "en", &|_| false, &|_| false)
            .into_iter()
            .map(|e| e.event_type)
            .collect()
    }

    #[test]
    fn triggers_need_a_verb_and_its_object_or_a_phrase() {
        assert_eq!(
            types("The two hospitals signed a memorandum of understanding."),
            [EventType::Agreement]
        );
        assert_eq!(types("The agreement covers oncology."), Vec::<EventType>::new());
        assert_eq!(types("A delegation visited the clinic."), [EventType::Visit]);
        assert_eq!(types("Больницы подписали соглашение о сотрудничестве."), [EventType::Agreement]);
        assert_eq!(types("双方签署合作协议。"), [EventType::Agreement]);
        assert_eq!(types("Le CHU et l'université ont signé une convention."), [EventType::Agreement]);
    }

    #[test]
    fn a_noun_inside_a_name_gives_way_to_the_sentences_own_event() {
        let res = Resources::get();
        let types_with_name = |s: &str, name: &str| -> Vec<EventType> {
            let t = Text::new(s, &|_| false);
            let start = s.find(name).unwrap();
            let span = Span::new(start, start + name.len());
            find_event_mentions(&t, res, "en", &|_| false, &|sp| span.contains(&sp))
                .into_iter()
                .map(|e| e.event_type)
                .collect()
        };
        assert_eq!(
            types_with_name(
                "Rosedale Cancer Centre opened a training course for nurses.",
                "Rosedale Cancer Centre"
            ),
            [EventType::Training]
        );
        assert_eq!(
            types_with_name(
                "The two hospitals opened the Franco-Malian Heart Centre.",
                "Franco-Malian Heart Centre"
            ),
            [EventType::Establishment]
        );
    }

    #[test]
    fn counts_participants_in_digits_and_words() {
        let res = Resources::get();
        let t = Text::new(
            "The course trained 114 visiting nurses from 25 partner clinics in eight countries.",
            &|_| false,
        );
        let (p, span) = find_participants(&t, res, &t.sentences[0], &[]).unwrap();
        assert_eq!(
            p,
            Participants {
                people: Some(114),
                institutions: Some(25),
                countries: Some(8)
            }
        );
        assert_eq!(t.slice(span.expect("the first count's noun")), "nurses");
        let t = Text::new("培训吸引了21名学员。", &|_| false);
        assert_eq!(find_participants(&t, res, &t.sentences[0], &[]).unwrap().0.people, Some(21));
    }
}
