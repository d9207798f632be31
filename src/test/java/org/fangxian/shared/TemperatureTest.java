package org.fangxian.shared;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemperatureTest {

	@ParameterizedTest
	@CsvSource({ "36.5, 36.5, false", "３７．２, 37.2, false", "' 37.3 ', 37.3, true", "37.25, 37.3, true",
			"35, 35.0, false", "42.0, 42.0, true", "38, 38.0, true" })
	void readsWhatPeopleTypeAndKnowsAFever(String typed, BigDecimal celsius, boolean fever) {
		Temperature temperature = Temperature.parse(typed);
		assertThat(temperature.celsius()).isEqualTo(celsius);
		assertThat(temperature.fever()).isEqualTo(fever);
	}

	@ParameterizedTest
	@ValueSource(strings = { "34.9", "42.1", "34", "43", "99", "-1", "3.7" })
	void refusesWhatNoLivingPersonMeasures(String typed) {
		assertThatThrownBy(() -> Temperature.parse(typed)).isInstanceOf(InvalidInput.class)
			.extracting(ex -> ((InvalidInput) ex).messageKey())
			.isEqualTo("gate.deny.temperatureImplausible");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "abc", "37,2度" })
	void refusesWhatIsNotANumber(String typed) {
		assertThatThrownBy(() -> Temperature.parse(typed)).isInstanceOf(InvalidInput.class)
			.extracting(ex -> ((InvalidInput) ex).messageKey())
			.isEqualTo("gate.deny.temperatureUnreadable");
	}

}
