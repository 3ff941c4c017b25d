package io.brewstream.connectors.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedbackLexiconTest {

    @Test
    void coldAndRudeIsBadWithTheWordsThatMadeIt() {
        FeedbackLexicon.Score score = FeedbackLexicon.score("The latte was cold and the barista was rude.", null);
        assertThat(score.bad()).isTrue();
        assertThat(score.score()).isEqualTo(-0.62); // -5 / (5 + 3)
        assertThat(score.evidence()).containsExactly("cold (-2)", "rude (-3)");
    }

    @Test
    void negationsFlipAndIntensifiersDouble() {
        assertThat(FeedbackLexicon.score("not good", null).evidence()).containsExactly("not good (-1)");
        assertThat(FeedbackLexicon.score("the coffee was never warm", null).score()).isLessThan(0);
        FeedbackLexicon.Score slow = FeedbackLexicon.score("very slow", null);
        assertThat(slow.evidence()).containsExactly("very slow (-4)");
        assertThat(slow.bad()).isTrue();
        assertThat(FeedbackLexicon.score("not bad at all", null).bad()).isFalse();
    }

    @Test
    void praiseIsGoodAndARatingCountsAsMuchAsTheWords() {
        FeedbackLexicon.Score praise = FeedbackLexicon.score("Delicious flat white, friendly staff!", null);
        assertThat(praise.score()).isEqualTo(0.63); // 5 / (5 + 3)
        assertThat(praise.bad()).isFalse();
        FeedbackLexicon.Score mixed = FeedbackLexicon.score("Delicious flat white, friendly staff!", 1);
        assertThat(mixed.score()).as("(0.625 - 1) / 2").isEqualTo(-0.19);
        assertThat(mixed.evidence()).contains("rating 1 of 5");
        assertThat(FeedbackLexicon.score("ok", 1).bad()).as("a rating alone").isTrue();
        assertThat(FeedbackLexicon.score("the cup was blue", null).score()).isZero();
    }
}
