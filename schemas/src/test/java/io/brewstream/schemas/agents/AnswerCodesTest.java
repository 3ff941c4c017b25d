package io.brewstream.schemas.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AnswerCodesTest {
    @Test
    void aTasksCodeIsSixUnambiguousCharactersTheSameEachTimeAndRarelyShared() {
        String code = AnswerCodes.of("task-0b7c2f4e-1d1b-3f43-a6f1-9c3c1b2a7d55");
        assertThat(code).hasSize(6).matches("[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}")
                .isEqualTo(AnswerCodes.of("task-0b7c2f4e-1d1b-3f43-a6f1-9c3c1b2a7d55"));
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            codes.add(AnswerCodes.of("task-" + i));
        }
        assertThat(codes).as("30 bits: a clash among 10,000 is unlikely").hasSizeGreaterThan(9_990);
    }

    @Test
    void aTypedCodeReadsLettersThatLookLikeDigitsAsTheDigits() {
        assertThat(AnswerCodes.normalize(" k7qfoi ")).isEqualTo("K7QF01");
        assertThat(AnswerCodes.normalize("abl2mn")).isEqualTo("AB12MN");
    }
}
