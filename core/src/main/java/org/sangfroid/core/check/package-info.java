/** One format for validation messages: {@code <Field> [<value>] must <rule>[, found <detail>].} */
package org.sangfroid.core.check;
