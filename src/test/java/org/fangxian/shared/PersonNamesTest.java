package org.fangxian.shared;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PersonNamesTest {

	@ParameterizedTest
	@CsvSource({ "王小明, 王**", "张三, 张*", "李, 李*", "' 欧阳娜娜 ', 欧***", "𠀀三𠀁, 𠀀**", "'', ''" })
	void keepsOnlyTheFirstCharacterForAScreenReadFaceToFace(String name, String shown) {
		assertThat(PersonNames.initial(name)).isEqualTo(shown);
	}

	@ParameterizedTest
	@CsvSource({ "张三丰, 张*丰", "欧阳娜娜, 欧**娜", "张三, 张*", "𠀀三𠀁, 𠀀*𠀁" })
	void keepsFirstAndLastForANeighboursEyes(String name, String shown) {
		assertThat(PersonNames.mask(name)).isEqualTo(shown);
	}

	@ParameterizedTest
	@CsvSource({ "王小明, 王**", "' 欧阳娜娜 ', 欧阳**", "司马光, 司马*", "欧阳, 欧*", "张三, 张*", "李, 李*", "𠀀三𠀁, 𠀀**", "'', ''" })
	void keepsTheWholeSurnameForAGuardCheckingIdentity(String name, String shown) {
		assertThat(PersonNames.surname(name)).isEqualTo(shown);
	}

}
